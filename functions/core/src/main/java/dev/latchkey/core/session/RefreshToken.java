package dev.latchkey.core.session;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * An opaque refresh token: {@code lkr_} + base64url (no padding) of 32 random bytes — 256 bits from
 * a CSPRNG (ARCHITECTURE.md §5), 47 characters. {@link #toString()} never shows it.
 */
public final class RefreshToken {

    /** The prefix that marks a Latchkey refresh token (and lets secret scanners find leaked ones). */
    public static final String PREFIX = "lkr_";
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

    /** A fresh token. */
    public static RefreshToken generate(SecureRandom random) {
        byte[] secret = new byte[RANDOM_BYTES];
        random.nextBytes(secret);
        return new RefreshToken(PREFIX + ENCODER.encodeToString(secret), secret);
    }

    /**
     * Checks a presented value's shape without any I/O: the prefix, exactly 43 base64url characters
     * in canonical form (decoding to 32 bytes and encoding back to the same text).
     *
     * @return the token, or empty when the value cannot be a Latchkey refresh token
     */
    public static Optional<RefreshToken> parse(String presented) {
        if (presented == null || presented.length() != LENGTH || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String body = presented.substring(PREFIX.length());
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
