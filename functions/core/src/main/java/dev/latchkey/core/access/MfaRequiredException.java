package dev.latchkey.core.access;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An organization requires a second factor ({@code require_mfa}) and the caller's sign-in had none (issue 14 item
 * 5; docs/mfa.md "Organization policy"). Two answers, told apart by {@link #enrolled()}:
 *
 * <ul>
 *   <li><b>No second factor enrolled</b> → 403 {@code MFA_REQUIRED}, {@code details.reason}
 *       {@value #NOT_ENROLLED}, {@code details.enrol} = {@value #ENROL_PATH} (where to add one) and
 *       {@code details.methods} (what satisfies the policy). Signing in again cannot help; enrolling can.</li>
 *   <li><b>A second factor enrolled, but this sign-in did not use it</b> (a session that began before the
 *       enrolment, or a passkey sign-in without user verification) → RFC 9470 step-up: 401
 *       {@code AUTHENTICATION_FAILED} with {@code details.reason} {@value #INSUFFICIENT_USER_AUTHENTICATION},
 *       {@code details.acr_values} and {@code details.policy} {@value #POLICY}, and
 *       {@code WWW-Authenticate: Bearer error="insufficient_user_authentication", error_description="…",
 *       acr_values="…multi-factor"} — the client signs the user in again with the second factor. No
 *       {@code max_age}: the policy asks for a second factor, not a recent sign-in.</li>
 * </ul>
 * The message and details are the same for every user and organization; nothing from the token is carried.
 */
public final class MfaRequiredException extends LatchkeyException {

    /** {@code details.reason} of the 403. */
    public static final String NOT_ENROLLED = "MFA_NOT_ENROLLED";

    /** {@code details.reason} of the 401 (as {@code principal.StepUpRequiredException}). */
    public static final String INSUFFICIENT_USER_AUTHENTICATION = "INSUFFICIENT_USER_AUTHENTICATION";

    /** {@code details.policy} of the 401. */
    public static final String POLICY = "ORGANIZATION_REQUIRES_MFA";

    /** Where a signed-in user starts enrolling an authenticator app ({@code POST}, docs/mfa.md). */
    public static final String ENROL_PATH = "/v1/users/me/mfa/totp";

    /** The RFC 9470 {@code acr_values} hint: the OpenID PAPE multi-factor policy. */
    public static final String ACR_MULTI_FACTOR = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

    /** What satisfies the policy: a password plus TOTP or recovery code, or a passkey with user verification. */
    public static final List<String> METHODS = List.of("totp", "recovery_code", "passkey");

    private static final long serialVersionUID = 1L;
    private static final String ENROL_MESSAGE = "This organization requires two-factor sign-in: add an "
            + "authenticator app, then sign in with it.";
    private static final String SIGN_IN_MESSAGE = "This organization requires two-factor sign-in: sign in again "
            + "with your second factor.";

    private final boolean enrolled;
    private final transient Map<String, String> headers;

    private MfaRequiredException(boolean enrolled) {
        super(enrolled ? ErrorCode.AUTHENTICATION_FAILED : ErrorCode.MFA_REQUIRED,
                enrolled ? SIGN_IN_MESSAGE : ENROL_MESSAGE, details(enrolled), null);
        this.enrolled = enrolled;
        this.headers = enrolled
                ? Map.of("www-authenticate", "Bearer error=\"insufficient_user_authentication\", error_description=\""
                        + SIGN_IN_MESSAGE + "\", acr_values=\"" + ACR_MULTI_FACTOR + "\"")
                : Map.of();
    }

    /** 403 {@code MFA_REQUIRED}: the user has no second factor; enrol one. */
    public static MfaRequiredException notEnrolled() {
        return new MfaRequiredException(false);
    }

    /** 401 {@code insufficient_user_authentication}: the user has a second factor; sign in with it. */
    public static MfaRequiredException notUsed() {
        return new MfaRequiredException(true);
    }

    /** Whether the user has a second factor (the 401), or must enrol one (the 403). */
    public boolean enrolled() {
        return enrolled;
    }

    private static Map<String, Object> details(boolean enrolled) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (enrolled) {
            details.put("reason", INSUFFICIENT_USER_AUTHENTICATION);
            details.put("policy", POLICY);
            details.put("acr_values", ACR_MULTI_FACTOR);
        } else {
            details.put("reason", NOT_ENROLLED);
            details.put("enrol", ENROL_PATH);
        }
        details.put("methods", METHODS);
        return details;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }
}
