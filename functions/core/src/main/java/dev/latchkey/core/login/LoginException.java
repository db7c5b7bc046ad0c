package dev.latchkey.core.login;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * A password login, password change or reset that cannot go on. Messages are fixed texts: none names
 * the email address, says whether an account exists, is locked or unverified, or echoes a token.
 */
public final class LoginException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private final boolean bearerChallenge;

    private LoginException(ErrorCode code, String message, Map<String, Object> details, boolean bearerChallenge) {
        super(code, message, details, null);
        this.bearerChallenge = bearerChallenge;
    }

    /**
     * 401 {@code AUTHENTICATION_FAILED}: one answer for an unknown email, a wrong password and a locked
     * account (ASVS 5.0 6.3.8, SECURITY.md "Login, lockout, enumeration").
     */
    public static LoginException authenticationFailed() {
        return new LoginException(ErrorCode.AUTHENTICATION_FAILED, "Email or password is incorrect.", Map.of(),
                false);
    }

    /** 401 {@code AUTHENTICATION_FAILED} for a wrong current password at a password change. */
    public static LoginException currentPasswordIncorrect() {
        return new LoginException(ErrorCode.AUTHENTICATION_FAILED, "Current password is incorrect.", Map.of(),
                false);
    }

    /**
     * 401 {@code AUTHENTICATION_FAILED} with {@code WWW-Authenticate: Bearer} and no error code: the
     * request carried no bearer token at all (RFC 6750 §3.1).
     */
    public static LoginException bearerTokenMissing() {
        return new LoginException(ErrorCode.AUTHENTICATION_FAILED, "An access token is required.", Map.of(), true);
    }

    /**
     * 400 {@code VALIDATION_ERROR}, reason {@code INVALID_TOKEN}: one message for a malformed, unknown,
     * used or expired password-reset token.
     */
    public static LoginException invalidResetToken() {
        return new LoginException(ErrorCode.VALIDATION_ERROR, "Password reset token is invalid or has expired.",
                Map.of("field", "token", "reason", "INVALID_TOKEN"), false);
    }

    /** {@code WWW-Authenticate: Bearer} for {@link #bearerTokenMissing()}. */
    @Override
    public Map<String, String> headers() {
        return bearerChallenge ? Map.of("www-authenticate", "Bearer") : Map.of();
    }
}
