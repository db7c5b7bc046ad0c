package dev.latchkey.core.login;

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
 * A password-reset token: {@value #PREFIX} and 256 random bits in base64url (no padding), 47
 * characters (SECURITY.md: ≥ 128 bits, [6.4.1]). Only its SHA-256 ({@link #hash()}) is stored; with full
 * entropy a fast hash suffices and a leaked table holds nothing usable. {@link #toString()} is redacted.
 */
public final class PasswordResetToken {

    /** Every reset token starts with this, so leaked ones are recognizable (secret scanners). */
    public static final String PREFIX = "lkp_";
    /** Random bytes per token. */
    public static final int RANDOM_BYTES = 32;

    private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");

    private final String value;

    private PasswordResetToken(String value) {
        this.value = value;
    }

    /** A fresh token from the CSPRNG. */
    public static PasswordResetToken generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new PasswordResetToken(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** A token as a client sent it, if it has the right shape (no I/O); empty for null or malformed. */
    public static Optional<PasswordResetToken> parse(String value) {
        if (value == null || !SHAPE.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(new PasswordResetToken(value));
    }

    /** The token itself, for the mail only. */
    public String value() {
        return value;
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes: the stored lookup key. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordResetToken t && MessageDigest.isEqual(
                t.value.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    /** Redacted. */
    @Override
    public String toString() {
        return "PasswordResetToken[<redacted>]";
    }
}
