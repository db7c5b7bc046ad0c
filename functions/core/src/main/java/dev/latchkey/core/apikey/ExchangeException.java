package dev.latchkey.core.apikey;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * A refused token exchange, with its {@link Reason}; the token endpoint (core {@code oauth.TokenExchangeGrant})
 * answers each as one RFC 6749 §5.2 / RFC 8693 §2.2.2 error: {@code invalid_request} for a subject token that is not
 * a valid key (RFC 8693 §2.2.2: "if either the subject_token or actor_token are invalid for any reason …
 * invalid_request"; never says why), {@code invalid_scope}, or {@code invalid_target} (an audience that is no
 * resource of the key's organization). The message is the fixed {@code error_description}.
 */
public final class ExchangeException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    /** Why the exchange was refused. */
    public enum Reason {
        /** The key is unknown, wrong, revoked or expired ({@code invalid_request}). */
        INVALID_SUBJECT_TOKEN("invalid_request"),
        /** The scope asks for more than the key holds ({@code invalid_scope}). */
        INVALID_SCOPE("invalid_scope"),
        /** The audience is no resource of the key's organization ({@code invalid_target}). */
        INVALID_TARGET("invalid_target");

        private final String oauthError;

        Reason(String oauthError) {
            this.oauthError = oauthError;
        }

        /** The RFC 6749 §5.2 / RFC 8693 §2.2.2 error code. */
        public String oauthError() {
            return oauthError;
        }
    }

    private final Reason reason;

    private ExchangeException(Reason reason, String message) {
        super(ErrorCode.VALIDATION_ERROR, message, Map.of("error", reason.oauthError()), null);
        this.reason = reason;
    }

    /** The key is unknown, wrong, revoked or expired (RFC 8693 §2.2.2: {@code invalid_request}). */
    public static ExchangeException invalidSubjectToken() {
        return new ExchangeException(Reason.INVALID_SUBJECT_TOKEN, "The API key is invalid, expired or revoked.");
    }

    /** The requested scope is not a subset of the key's permissions. */
    public static ExchangeException invalidScope() {
        return new ExchangeException(Reason.INVALID_SCOPE, "The requested scope exceeds the key's permissions.");
    }

    /**
     * The audience names no resource of the key's organization (RFC 8707 §2: {@code invalid_target}); the same
     * message whether it is unknown or another organization's.
     */
    public static ExchangeException invalidTarget() {
        return new ExchangeException(Reason.INVALID_TARGET,
                "The requested resource is unknown or not available to this caller.");
    }

    /** Why the exchange was refused. */
    public Reason reason() {
        return reason;
    }
}
