package dev.latchkey.core.session;

/** Why a session was revoked: stored on the session and in the audit event, never renamed once written. */
public enum SessionEndReason {
    /** The user logged out with the session's refresh token. */
    LOGOUT("logout"),
    /** A client revoked the refresh token (RFC 7009). */
    TOKEN_REVOKED("token_revoked"),
    /** The user ended the session from the session list. */
    ENDED_BY_USER("ended_by_user"),
    /** The user changed the password. */
    PASSWORD_CHANGED("password_changed"),
    /** The password was reset. */
    PASSWORD_RESET("password_reset"),
    /** A rotated refresh token was presented outside the grace rules: the family is presumed stolen. */
    REFRESH_TOKEN_REUSE("refresh_token_reuse"),
    /** An operator revoked the user's sessions from the admin CLI ({@code latchkey sessions revoke}). */
    OPERATOR_REVOKED("operator_revoked"),
    /** An operator disabled the account ({@code latchkey user disable}). */
    USER_DISABLED("user_disabled"),
    /**
     * An application's refresh family ({@code offline_access}) whose sign-in session has ended (logout, RP-initiated
     * logout, revocation, expiry): found at the family's next refresh.
     */
    SIGN_IN_SESSION_ENDED("sign_in_session_ended");

    private final String code;

    SessionEndReason(String code) {
        this.code = code;
    }

    /** The stable lower-case code stored and audited. */
    public String code() {
        return code;
    }

    /**
     * The reason with this code.
     *
     * @throws IllegalArgumentException for an unknown code
     */
    public static SessionEndReason ofCode(String code) {
        for (SessionEndReason reason : values()) {
            if (reason.code.equals(code)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown session end reason");
    }
}
