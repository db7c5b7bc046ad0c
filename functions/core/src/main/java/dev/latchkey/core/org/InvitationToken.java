package dev.latchkey.core.org;

import dev.latchkey.core.account.OneTimeToken;
import dev.latchkey.core.account.OneTimeTokens;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * An invitation token: {@value #PREFIX} and 256 random bits in base64url (no padding), 47 characters, made by
 * {@link OneTimeTokens} like the verification and reset tokens. It appears in the invitation mail only: never in a
 * response, a log line or an audit event. Only its SHA-256 ({@link #hash()}) is stored.
 *
 * <p>{@link #toString()} never prints the token.
 */
public final class InvitationToken extends OneTimeToken {

    /** Every invitation token starts with this, so a leaked one is recognizable. */
    public static final String PREFIX = "lki_";

    private InvitationToken(String value) {
        super(value);
    }

    /** A fresh token from the CSPRNG. */
    public static InvitationToken generate(SecureRandom random) {
        return new InvitationToken(OneTimeTokens.generate(PREFIX, random));
    }

    /**
     * A token as a client sent it, if it has the right shape (checked without I/O).
     *
     * @return empty for null or a malformed value
     */
    public static Optional<InvitationToken> parse(String value) {
        return OneTimeTokens.wellFormed(PREFIX, value) ? Optional.of(new InvitationToken(value)) : Optional.empty();
    }
}
