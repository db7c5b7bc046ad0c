package dev.latchkey.core.apikey;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * A refused token exchange, carrying its RFC 6749 §5.2 / RFC 8693 §2.2.2 error code for the token
 * endpoint: {@code invalid_request} for a subject token that is not a valid key (RFC 8693 §2.2.2: "if
 * either the subject_token or actor_token are invalid for any reason … invalid_request"; never says
 * why), {@code invalid_scope}, or {@code invalid_target} (an audience that is no resource of the key's organization).
 */
public final class ExchangeException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private final String oauthError;

    private ExchangeException(String oauthError, String message) {
        super(ErrorCode.VALIDATION_ERROR, message, Map.of("error", oauthError), null);
        this.oauthError = oauthError;
    }

    /** The key is unknown, wrong, revoked or expired (RFC 8693 §2.2.2: {@code invalid_request}). */
    public static ExchangeException invalidSubjectToken() {
        return new ExchangeException("invalid_request", "The API key is invalid, expired or revoked.");
    }

    /** The requested scope is not a subset of the key's permissions. */
    public static ExchangeException invalidScope() {
        return new ExchangeException("invalid_scope", "The requested scope exceeds the key's permissions.");
    }

    /**
     * The audience names no resource of the key's organization (RFC 8707 §2: {@code invalid_target}); the same
     * message whether it is unknown or another organization's.
     */
    public static ExchangeException invalidTarget() {
        return new ExchangeException("invalid_target",
                "The requested resource is unknown or not available to this caller.");
    }

    /** The RFC 6749 error code. */
    public String oauthError() {
        return oauthError;
    }
}
