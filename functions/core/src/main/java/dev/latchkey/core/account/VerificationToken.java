package dev.latchkey.core.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An email verification token: {@value #PREFIX} and 256 random bits in base64url (no padding), 47
 * characters. Only its SHA-256 ({@link #hash()}) is stored: the token has full entropy, so a fast hash
 * is enough (no password hash needed) and a leaked table holds nothing usable.
 *
 * <p>{@link #toString()} never prints the token.
 */
public final class VerificationToken {

    /** Every verification token starts with this, so leaked ones are recognizable (secret scanners). */
    public static final String PREFIX = "lkv_";
    /** Random bytes per token. */
    public static final int RANDOM_BYTES = 32;

    private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");

    private final String value;

    private VerificationToken(String value) {
        this.value = value;
    }

    /** A fresh token from the CSPRNG. */
    public static VerificationToken generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new VerificationToken(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /**
     * A token as a client sent it, if it has the right shape (checked without any I/O).
     *
     * @return empty for null or a malformed value
     */
    public static Optional<VerificationToken> parse(String value) {
        if (value == null || !SHAPE.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(new VerificationToken(value));
    }

    /** The token itself, for the mail only. */
    public String value() {
        return value;
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes: the stored lookup key. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerificationToken t && MessageDigest.isEqual(
                t.value.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    /** Redacted. */
    @Override
    public String toString() {
        return "VerificationToken[<redacted>]";
    }
}
