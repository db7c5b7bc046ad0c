package dev.latchkey.core.passkey;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * A passkey ceremony or management call that cannot go on. Each factory has a stable {@link #reason()}.
 *
 * <p>A failed <b>login</b> is always {@link #authenticationFailed(String)}: one status, code and message, whatever
 * went wrong, so a caller learns nothing about accounts or credentials; the reason goes only into the audit
 * event ({@code auth.passkey.failed}). A failed <b>registration</b> (the signed-in user's own ceremony) says what
 * went wrong in {@code details.reason} — an origin or RP id mismatch is the usual misconfiguration, and the
 * caller already owns both the account and the authenticator. No message ever holds a credential id, an email
 * address, a challenge or a token.
 */
public final class PasskeyException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    private PasskeyException(ErrorCode code, String message, Map<String, Object> details, String reason) {
        super(code, message, details, null);
        this.reason = reason;
    }

    /**
     * 401 {@code AUTHENTICATION_FAILED}: a passkey login failed, for any reason (unknown, used or expired
     * challenge; unknown credential; another user's credential; any failed WebAuthn check).
     *
     * @param reason the audit reason code (lower snake case, such as {@code origin_mismatch}); never shown
     */
    public static PasskeyException authenticationFailed(String reason) {
        return new PasskeyException(ErrorCode.AUTHENTICATION_FAILED, "Passkey authentication failed.", Map.of(),
                reason);
    }

    /**
     * 400 {@code VALIDATION_ERROR}, field {@code credential}: the registration response failed verification.
     *
     * @param reason the check that failed, lower snake case ({@code origin_mismatch}); shown upper case
     */
    public static PasskeyException registrationFailed(String reason) {
        return new PasskeyException(ErrorCode.VALIDATION_ERROR, "The passkey could not be verified.",
                Map.of("field", "credential", "reason", reason.toUpperCase(java.util.Locale.ROOT)), reason);
    }

    /** 400 {@code VALIDATION_ERROR}, field {@code challenge_id}: unknown, used, expired or another user's. */
    public static PasskeyException invalidChallenge(String reason) {
        return new PasskeyException(ErrorCode.VALIDATION_ERROR, "Challenge is invalid or has expired.",
                Map.of("field", "challenge_id", "reason", "INVALID_CHALLENGE"), reason);
    }

    /** 409 {@code CONFLICT}: this credential is registered already (to this user or to anyone). */
    public static PasskeyException alreadyRegistered() {
        return new PasskeyException(ErrorCode.CONFLICT, "This passkey is already registered.",
                Map.of("reason", "PASSKEY_EXISTS"), "already_registered");
    }

    /** 404 {@code NOT_FOUND}: no such passkey among the caller's (another user's passkey looks the same). */
    public static PasskeyException notFound() {
        return new PasskeyException(ErrorCode.NOT_FOUND, "Passkey not found.", Map.of(), "not_found");
    }

    /** 404 {@code NOT_FOUND}: the signed-in user no longer exists. */
    public static PasskeyException userNotFound() {
        return new PasskeyException(ErrorCode.NOT_FOUND, "User not found.", Map.of(), "user_not_found");
    }

    /** 409 {@code CONFLICT}: deleting it would leave the account without any way to sign in. */
    public static PasskeyException lastSignInMethod() {
        return new PasskeyException(ErrorCode.CONFLICT,
                "This passkey is the account's only way to sign in; add another passkey or set a password first.",
                Map.of("reason", "LAST_SIGN_IN_METHOD"), "last_sign_in_method");
    }

    /**
     * 400 {@code VALIDATION_ERROR} for a malformed input field.
     *
     * @param field the request field ({@code credential}, {@code nickname}, {@code challenge_id}, {@code email})
     * @param reason the stable reason, upper snake case
     * @param message a fixed text that repeats no input
     */
    public static PasskeyException invalid(String field, String reason, String message) {
        return new PasskeyException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field, "reason", reason),
                reason.toLowerCase(java.util.Locale.ROOT));
    }

    /** The stable reason code, lower snake case; what the audit event records. */
    public String reason() {
        return reason;
    }
}
