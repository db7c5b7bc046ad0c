package dev.latchkey.core.login;

import dev.latchkey.core.account.OneTimeTokens;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * A password-reset token: {@value #PREFIX} and 256 random bits in base64url (no padding), 47
 * characters (SECURITY.md: ≥ 128 bits, [6.4.1]). Only its SHA-256 ({@link #hash()}) is stored; with full
 * entropy a fast hash suffices and a leaked table holds nothing usable. {@link #toString()} is redacted.
 */
public final class PasswordResetToken {

    /** Every reset token starts with this, so leaked ones are recognizable (secret scanners). */
    public static final String PREFIX = "lkp_";
    /** Random bytes per token. */
    public static final int RANDOM_BYTES = OneTimeTokens.RANDOM_BYTES;

    private final String value;

    private PasswordResetToken(String value) {
        this.value = value;
    }

    /** A fresh token from the CSPRNG. */
    public static PasswordResetToken generate(SecureRandom random) {
        return new PasswordResetToken(OneTimeTokens.generate(PREFIX, random));
    }

    /** A token as a client sent it, if it has the right shape (no I/O); empty for null or malformed. */
    public static Optional<PasswordResetToken> parse(String value) {
        if (!OneTimeTokens.wellFormed(PREFIX, value)) {
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
        return OneTimeTokens.sha256Hex(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordResetToken t && OneTimeTokens.same(t.value, value);
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
