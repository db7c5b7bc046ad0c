package dev.latchkey.core.login;

import dev.latchkey.core.account.OneTimeToken;
import dev.latchkey.core.account.OneTimeTokens;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * A password-reset token: {@value #PREFIX} and 256 random bits in base64url (no padding), 47
 * characters (SECURITY.md: ≥ 128 bits, [6.4.1]). Only its SHA-256 ({@link #hash()}) is stored; with full
 * entropy a fast hash suffices and a leaked table holds nothing usable. {@link #toString()} is redacted.
 */
public final class PasswordResetToken extends OneTimeToken {

    /** Every reset token starts with this, so leaked ones are recognizable (secret scanners). */
    public static final String PREFIX = "lkp_";
    /** Random bytes per token. */
    public static final int RANDOM_BYTES = OneTimeTokens.RANDOM_BYTES;

    private PasswordResetToken(String value) {
        super(value);
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
}
