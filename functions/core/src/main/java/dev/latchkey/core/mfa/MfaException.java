package dev.latchkey.core.mfa;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * A second-factor step that cannot go on. Messages are fixed texts: none echoes a code, a token or a secret, and a
 * wrong code, a replayed code and a locked factor get the same answer.
 */
public final class MfaException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private MfaException(ErrorCode code, String message, Map<String, Object> details) {
        super(code, message, details, null);
    }

    /** 401 {@code AUTHENTICATION_FAILED}: wrong, replayed or spent code, or a locked factor — one answer. */
    public static MfaException invalidCode() {
        return new MfaException(ErrorCode.AUTHENTICATION_FAILED, "The code is incorrect or was already used.",
                Map.of("reason", "INVALID_CODE"));
    }

    /** 401 {@code AUTHENTICATION_FAILED}: the {@code mfa_token} is unknown, used or expired. */
    public static MfaException invalidMfaToken() {
        return new MfaException(ErrorCode.AUTHENTICATION_FAILED,
                "The sign-in step is unknown or has expired; sign in again.", Map.of("reason", "INVALID_MFA_TOKEN"));
    }

    /** 400 {@code VALIDATION_ERROR}: neither {@code code} nor {@code recovery_code}, or both. */
    public static MfaException codeRequired() {
        return new MfaException(ErrorCode.VALIDATION_ERROR, "Exactly one of 'code' and 'recovery_code' is required.",
                Map.of("field", "code", "reason", "REQUIRED"));
    }

    /** 409 {@code CONFLICT}: confirmation without a pending (unexpired) enrolment. */
    public static MfaException noPendingEnrolment() {
        return new MfaException(ErrorCode.CONFLICT, "No authenticator enrolment is pending; start one first.",
                Map.of("reason", "NO_PENDING_ENROLMENT"));
    }

    /** 403: an API key asked for what only a person may do (it cannot step up). */
    public static MfaException userRequired() {
        return new MfaException(ErrorCode.PERMISSION_DENIED, "Only a signed-in user can do this, not an API key.",
                Map.of("reason", "USER_REQUIRED"));
    }

    /** 403: the member's role is one the administrator could not grant (an admin never resets an owner). */
    public static MfaException roleNotGrantable(String role) {
        return new MfaException(ErrorCode.PERMISSION_DENIED,
                "Nobody resets the second factor of a member whose role they could not grant.",
                Map.of("reason", "ROLE_NOT_GRANTABLE", "role", role));
    }

    /** 404 {@code NOT_FOUND}: the user has no second factor. */
    public static MfaException notEnrolled() {
        return new MfaException(ErrorCode.NOT_FOUND, "No second factor is enrolled.", Map.of());
    }

    /**
     * 401 {@code AUTHENTICATION_FAILED}: replacing an active authenticator needs a code from it or a recovery code.
     */
    public static MfaException proofRequired() {
        return new MfaException(ErrorCode.AUTHENTICATION_FAILED,
                "A code from the current authenticator or a recovery code is required.",
                Map.of("reason", "SECOND_FACTOR_REQUIRED"));
    }
}
