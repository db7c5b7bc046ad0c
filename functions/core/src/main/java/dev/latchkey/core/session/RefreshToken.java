package dev.latchkey.core.session;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * An opaque refresh token: {@code lkr_} (a sign-in session's) or {@code lka_} (an application's, {@code
 * offline_access}) + base64url (no padding) of 32 random bytes — 256 bits from a CSPRNG (ARCHITECTURE.md §5), 47
 * characters. The prefix is the token's kind: the token endpoint dispatches on it without I/O, and each kind's
 * refresh also checks the family it finds ({@link Session#application()}). {@link #toString()} never shows it.
 */
public final class RefreshToken {

    /** The prefix that marks a Latchkey refresh token (and lets secret scanners find leaked ones). */
    public static final String PREFIX = "lkr_";
    /** The prefix of an application's refresh token ({@code offline_access}). */
    public static final String APPLICATION_PREFIX = "lka_";
    /** Random bytes per token. */
    public static final int RANDOM_BYTES = 32;
    /** The length of every well-formed token. */
    public static final int LENGTH = PREFIX.length() + 43;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final String value;
    private final byte[] secret;

    private RefreshToken(String value, byte[] secret) {
        this.value = value;
        this.secret = secret;
    }

    /** A fresh token of a sign-in session. */
    public static RefreshToken generate(SecureRandom random) {
        return generate(PREFIX, random);
    }

    /** A fresh token of an application's refresh family. */
    public static RefreshToken generateForApplication(SecureRandom random) {
        return generate(APPLICATION_PREFIX, random);
    }

    /** A fresh token of this token's kind: its successor. */
    RefreshToken next(SecureRandom random) {
        return generate(isApplication() ? APPLICATION_PREFIX : PREFIX, random);
    }

    private static RefreshToken generate(String prefix, SecureRandom random) {
        byte[] secret = new byte[RANDOM_BYTES];
        random.nextBytes(secret);
        return new RefreshToken(prefix + ENCODER.encodeToString(secret), secret);
    }

    /** Whether a presented value claims to be an application's refresh token (its prefix only, no other check). */
    public static boolean isApplicationToken(String presented) {
        return presented != null && presented.startsWith(APPLICATION_PREFIX);
    }

    /** Whether this is an application's refresh token. */
    public boolean isApplication() {
        return value.startsWith(APPLICATION_PREFIX);
    }

    /**
     * Checks a presented value's shape without any I/O: the prefix, exactly 43 base64url characters
     * in canonical form (decoding to 32 bytes and encoding back to the same text).
     *
     * @return the token, or empty when the value cannot be a Latchkey refresh token
     */
    public static Optional<RefreshToken> parse(String presented) {
        if (presented == null || presented.length() != LENGTH
                || !(presented.startsWith(PREFIX) || presented.startsWith(APPLICATION_PREFIX))) {
            return Optional.empty();
        }
        String body = presented.substring(PREFIX.length());
        // Both prefixes are 4 characters.
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                return Optional.empty();
            }
        }
        byte[] secret = Base64.getUrlDecoder().decode(body);
        if (secret.length != RANDOM_BYTES || !ENCODER.encodeToString(secret).equals(body)) {
            return Optional.empty();
        }
        return Optional.of(new RefreshToken(presented, secret));
    }

    /** The token text, for the response to its holder only. */
    public String value() {
        return value;
    }

    /** The 32 random bytes (a copy): key material for {@link RefreshTokenCrypto}. */
    byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RefreshToken t && java.security.MessageDigest.isEqual(
                t.value.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(secret));
    }

    /** Redacted: a token never goes into a log line. */
    @Override
    public String toString() {
        return "RefreshToken[redacted]";
    }
}
