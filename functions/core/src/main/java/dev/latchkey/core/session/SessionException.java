package dev.latchkey.core.session;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * A session or refresh token that cannot be used. Every refresh failure — unknown, malformed,
 * expired, revoked or reused token — is the same {@link #invalidGrant()}, so a caller learns
 * nothing about which (RFC 6749 §5.2 {@code invalid_grant}); the audit log records the reason.
 */
public final class SessionException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    /** The RFC 6749 §5.2 error code of {@link #invalidGrant()}. */
    public static final String INVALID_GRANT = "invalid_grant";

    private final boolean invalidGrant;

    private SessionException(ErrorCode code, String message, boolean invalidGrant) {
        super(code, message, Map.of(), null);
        this.invalidGrant = invalidGrant;
    }

    /**
     * The refresh token is invalid, expired, revoked or was reused: 401 {@code AUTHENTICATION_FAILED}
     * in the standard error body, 400 {@code invalid_grant} at the OAuth endpoints.
     */
    public static SessionException invalidGrant() {
        return new SessionException(ErrorCode.AUTHENTICATION_FAILED,
                "The refresh token is invalid, expired or revoked.", true);
    }

    /** No such session of this user (another user's session looks the same as none). */
    public static SessionException notFound() {
        return new SessionException(ErrorCode.NOT_FOUND, "No such session.", false);
    }

    /** Whether this is {@link #invalidGrant()}. */
    public boolean isInvalidGrant() {
        return invalidGrant;
    }
}
