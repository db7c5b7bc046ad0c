package dev.latchkey.core.oauth;

import dev.latchkey.core.access.MfaRequiredException;
import dev.latchkey.core.error.LatchkeyException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one OAuth error of Latchkey's OAuth endpoints (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7662 §2.3): a registered
 * {@link Code}, a fixed client-safe description that never echoes a parameter value or a secret, the HTTP status
 * and the extra response headers ({@code WWW-Authenticate} after Basic client authentication, the rate-limit
 * headers, {@code Retry-After}). Every OAuth rule in core signals a refusal by throwing one; the HTTP adapter maps
 * it to the response {@code {"error", "error_description"}} with {@link #status()} and {@link #headers()}.
 */
public final class OAuthError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The challenge sent with {@code invalid_client} when the client tried HTTP Basic (RFC 6749 §5.2). */
    public static final Map<String, String> BASIC_CHALLENGE = Map.of("www-authenticate", "Basic realm=\"latchkey\"");

    /** The error codes Latchkey answers, with their HTTP status. */
    public enum Code {
        /** RFC 6749 §5.2: missing, repeated or malformed parameter, wrong content type. */
        INVALID_REQUEST("invalid_request", 400),
        /** RFC 6749 §5.2: client authentication failed (401, with the Basic challenge after Basic). */
        INVALID_CLIENT("invalid_client", 401),
        /** RFC 6749 §5.2: the grant (refresh token, assertion) is invalid, expired, revoked or reused. */
        INVALID_GRANT("invalid_grant", 400),
        /** RFC 6749 §5.2: the client may not use this grant type (reserved; not answered today). */
        UNAUTHORIZED_CLIENT("unauthorized_client", 400),
        /** RFC 6749 §5.2: the grant type is not supported. */
        UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
        /** RFC 6749 §5.2: the scope is malformed or exceeds what is granted. */
        INVALID_SCOPE("invalid_scope", 400),
        /** RFC 8707 §2 / RFC 8693 §2.2.2: the resource is unknown or not available to the caller. */
        INVALID_TARGET("invalid_target", 400),
        /**
         * Latchkey's extension (RFC 6749 §8.5): the resource's organization requires two-factor sign-in and the
         * session's sign-in had no second factor (issue 14 item 5, {@code access.OrganizationMfaPolicy}).
         */
        MFA_REQUIRED("mfa_required", 403),
        /** RFC 8628 §3.5 (IANA OAuth Extensions Error registry): too many requests. */
        SLOW_DOWN("slow_down", 429),
        /** RFC 6749 §4.1.2.1: a store outage. */
        TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
        /** RFC 6749 §4.1.2.1: an unexpected failure. */
        SERVER_ERROR("server_error", 500);

        private final String value;
        private final int status;

        Code(String value, int status) {
            this.value = value;
            this.status = status;
        }

        /** The registered code, as sent in {@code error}. */
        public String value() {
            return value;
        }

        /** The HTTP status of an error with this code. */
        public int status() {
            return status;
        }

        /** The code spelled {@code value}, if Latchkey answers it. */
        public static Optional<Code> of(String value) {
            for (Code code : values()) {
                if (code.value.equals(value)) {
                    return Optional.of(code);
                }
            }
            return Optional.empty();
        }
    }

    private final Code code;
    private final transient Map<String, String> headers;

    private OAuthError(Code code, String description, Map<String, String> headers) {
        super(description, null, false, false);
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    /** An error with a code and a fixed description, no extra header. */
    public static OAuthError of(Code code, String description) {
        return new OAuthError(code, description, Map.of());
    }

    /** 400 {@code invalid_request}: missing, repeated or malformed parameter, wrong content type. */
    public static OAuthError invalidRequest(String description) {
        return of(Code.INVALID_REQUEST, description);
    }

    /** 400 {@code invalid_grant}: the refresh token is invalid, expired, revoked or reused (RFC 6749 §6). */
    public static OAuthError invalidGrant() {
        return of(Code.INVALID_GRANT, "The refresh token is invalid, expired or revoked.");
    }

    /**
     * 401 {@code invalid_client} (RFC 6749 §5.2): client authentication failed, whatever the cause, with the
     * Basic challenge when the client tried HTTP Basic.
     *
     * @param basic whether the client authenticated (or tried to) with {@code client_secret_basic}
     * @param description the one fixed text, or the failed rule of a client assertion when naming it reveals nothing
     */
    public static OAuthError invalidClient(boolean basic, String description) {
        return new OAuthError(Code.INVALID_CLIENT, description, basic ? BASIC_CHALLENGE : Map.of());
    }

    /**
     * 401 {@code invalid_client} at revocation for a token not issued to the requesting client (RFC 7009 §2.1): the
     * caller holds the token already, so saying so reveals nothing.
     */
    public static OAuthError tokenOfAnotherClient(boolean basic) {
        return invalidClient(basic, "The token was not issued to the requesting client; only that client, "
                + "authenticated, may revoke it.");
    }

    /**
     * 400 {@code invalid_grant} for a jwt-bearer assertion that is invalid (RFC 7523 §3.1): the failed rule when it
     * may be named, else one fixed text.
     */
    public static OAuthError invalidAssertion(Optional<String> disclosure) {
        return of(Code.INVALID_GRANT, disclosure.orElse("The assertion is invalid, expired or already used."));
    }

    /** 400 {@code invalid_target} (RFC 8707 §2): the resource is unknown or not available to the caller. */
    public static OAuthError invalidTarget() {
        return of(Code.INVALID_TARGET, "The requested resource is unknown or not available to this caller.");
    }

    /**
     * 403 {@code mfa_required}: the resource's organization requires two-factor sign-in (docs/mfa.md "Organization
     * policy"); the description says what to do — enrol a second factor, or sign in again with the one the user has.
     *
     * @param enrolled whether the user has a second factor
     */
    public static OAuthError mfaRequired(boolean enrolled) {
        return of(Code.MFA_REQUIRED, enrolled
                ? "The resource's organization requires two-factor sign-in: sign in again with your second factor."
                : "The resource's organization requires two-factor sign-in: add an authenticator app ("
                        + MfaRequiredException.ENROL_PATH + "), then sign in with it.");
    }

    /** 400 {@code invalid_scope}: the scope is malformed or asks for more than is granted. */
    public static OAuthError scopeNotGranted() {
        return of(Code.INVALID_SCOPE, "The requested scope is malformed or exceeds what is granted.");
    }

    /** 400 {@code invalid_scope}: a refresh without a resource has no scope that could be narrowed. */
    public static OAuthError scopeUnchangeable() {
        return of(Code.INVALID_SCOPE, "A refresh cannot change the scope.");
    }

    /** 400 {@code unsupported_grant_type}. */
    public static OAuthError unsupportedGrantType() {
        return of(Code.UNSUPPORTED_GRANT_TYPE, "This grant type is not supported.");
    }

    /**
     * 429 {@code slow_down} with {@code Retry-After} and the rate-limit headers. {@code slow_down} is the
     * token-endpoint error code registered in the IANA OAuth Extensions Error registry (RFC 8628 §3.5);
     * RFC 6749 has none for rate limiting, and generic OAuth clients parse a registered code.
     */
    public static OAuthError slowDown(Map<String, String> rateLimitHeaders) {
        return new OAuthError(Code.SLOW_DOWN, "Too many requests; retry later.", rateLimitHeaders);
    }

    /** 503 {@code temporarily_unavailable} (RFC 6749 §4.1.2.1's code, the closest for a store outage). */
    public static OAuthError temporarilyUnavailable() {
        return new OAuthError(Code.TEMPORARILY_UNAVAILABLE, "Temporarily unavailable; retry later.",
                Map.of("retry-after", "1"));
    }

    /** 500 {@code server_error}. */
    public static OAuthError serverError() {
        return of(Code.SERVER_ERROR, "Internal error.");
    }

    /**
     * A Latchkey error that no OAuth rule translated: the organization's second-factor policy →
     * {@code mfa_required}; a 503 → {@code temporarily_unavailable}, another 5xx →
     * {@code server_error}, anything else → {@code invalid_request} with a fixed text (never the exception's own
     * message).
     */
    public static OAuthError unexpected(LatchkeyException e) {
        if (e instanceof MfaRequiredException mfa) {
            return mfaRequired(mfa.enrolled());
        }
        int status = e.code().status();
        if (status == 503) {
            return temporarilyUnavailable();
        }
        return status >= 500 ? serverError() : invalidRequest("The request cannot be served.");
    }

    /** The code. */
    public Code code() {
        return code;
    }

    /** The {@code error} value. */
    public String error() {
        return code.value();
    }

    /** The {@code error_description}: a fixed text, safe to show. */
    public String description() {
        return getMessage();
    }

    /** The HTTP status. */
    public int status() {
        return code.status();
    }

    /** Extra response headers (lower-case names): the Basic challenge, rate-limit headers, {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The RFC 6749 §5.2 body, in this order: {@code error}, {@code error_description}. */
    public Map<String, String> body() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code.value());
        body.put("error_description", getMessage());
        return body;
    }

    @Override
    public String toString() {
        return "OAuthError[" + code.value() + ", " + code.status() + "]";
    }
}
