package dev.latchkey.core.account;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * An email verification token: {@value #PREFIX} and 256 random bits in base64url (no padding), 47
 * characters. Only its SHA-256 ({@link #hash()}) is stored: the token has full entropy, so a fast hash
 * is enough (no password hash needed) and a leaked table holds nothing usable.
 *
 * <p>{@link #toString()} never prints the token.
 */
public final class VerificationToken extends OneTimeToken {

    /** Every verification token starts with this, so leaked ones are recognizable (secret scanners). */
    public static final String PREFIX = "lkv_";
    /** Random bytes per token. */
    public static final int RANDOM_BYTES = OneTimeTokens.RANDOM_BYTES;

    private VerificationToken(String value) {
        super(value);
    }

    /** A fresh token from the CSPRNG. */
    public static VerificationToken generate(SecureRandom random) {
        return new VerificationToken(OneTimeTokens.generate(PREFIX, random));
    }

    /**
     * A token as a client sent it, if it has the right shape (checked without any I/O).
     *
     * @return empty for null or a malformed value
     */
    public static Optional<VerificationToken> parse(String value) {
        if (!OneTimeTokens.wellFormed(PREFIX, value)) {
            return Optional.empty();
        }
        return Optional.of(new VerificationToken(value));
    }
}
