package dev.latchkey.functions.token;

import dev.latchkey.core.client.ClientAuthenticationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An OAuth error response (RFC 6749 §5.2): status 400 and {@code {"error", "error_description"}}.
 * Descriptions are fixed, client-safe texts that never echo a parameter value.
 */
final class OAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final transient Map<String, String> headers;

    private OAuthException(int status, String error, String description, Map<String, String> headers) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    /** 400 {@code invalid_request}: missing, repeated or malformed parameter, wrong content type. */
    static OAuthException invalidRequest(String description) {
        return new OAuthException(400, "invalid_request", description, Map.of());
    }

    /** 400 {@code invalid_grant}: the refresh token is invalid, expired, revoked or reused. */
    static OAuthException invalidGrant() {
        return new OAuthException(400, "invalid_grant", "The refresh token is invalid, expired or revoked.",
                Map.of());
    }

    /**
     * 400 with a token-exchange error: {@code invalid_grant}, {@code invalid_scope} or {@code invalid_target}
     * (RFC 8693 §2.2.2), with the use case's fixed description.
     */
    static OAuthException exchangeRefused(String error, String description) {
        return new OAuthException(400, error, description, Map.of());
    }

    /**
     * 401 {@code invalid_client} (RFC 6749 §5.2): client authentication failed, whatever the cause. With
     * {@code WWW-Authenticate: Basic realm="latchkey"} when the client tried Basic authentication.
     */
    static OAuthException invalidClient(boolean basic) {
        return invalidClient(basic, ClientAuthenticationException.MESSAGE);
    }

    /**
     * 401 {@code invalid_client} with a description: the fixed text, or the failed rule of a client assertion when
     * naming it reveals nothing ({@link ClientAuthenticationException#description()}).
     */
    static OAuthException invalidClient(boolean basic, String description) {
        return new OAuthException(401, "invalid_client", description,
                basic ? Map.of("www-authenticate", "Basic realm=\"latchkey\"") : Map.of());
    }

    /**
     * 401 {@code invalid_client} at revocation for a token not issued to the requesting client (RFC 7009 §2.1): the
     * caller holds the token already, so saying so reveals nothing.
     */
    static OAuthException tokenOfAnotherClient(boolean basic) {
        return new OAuthException(401, "invalid_client", "The token was not issued to the requesting client; only "
                + "that client, authenticated, may revoke it.",
                basic ? Map.of("www-authenticate", "Basic realm=\"latchkey\"") : Map.of());
    }

    /**
     * 400 {@code invalid_grant} for a jwt-bearer assertion that is invalid (RFC 7523 §3.1): the failed rule when it
     * may be named, else one fixed text.
     */
    static OAuthException invalidAssertion(Optional<String> disclosure) {
        return new OAuthException(400, "invalid_grant",
                disclosure.orElse("The assertion is invalid, expired or already used."), Map.of());
    }

    /** 400 {@code invalid_target} (RFC 8707 §2): the resource is unknown or not available to the caller. */
    static OAuthException invalidTarget() {
        return new OAuthException(400, "invalid_target",
                "The requested resource is unknown or not available to this caller.", Map.of());
    }

    /** 400 {@code invalid_scope}: the scope is malformed or asks for more than is granted. */
    static OAuthException scopeNotGranted() {
        return new OAuthException(400, "invalid_scope",
                "The requested scope is malformed or exceeds what is granted.", Map.of());
    }

    /** 400 {@code unsupported_grant_type}. */
    static OAuthException unsupportedGrantType() {
        return new OAuthException(400, "unsupported_grant_type", "This grant type is not supported.", Map.of());
    }

    /** 400 {@code invalid_scope}: refresh tokens carry no scope that could be narrowed. */
    static OAuthException invalidScope() {
        return new OAuthException(400, "invalid_scope", "A refresh cannot change the scope.", Map.of());
    }

    /**
     * 429 {@code slow_down} with {@code Retry-After} and the rate-limit headers. {@code slow_down} is the
     * token-endpoint error code registered in the IANA OAuth Extensions Error registry (RFC 8628 §3.5);
     * RFC 6749 has none for rate limiting, and generic OAuth clients parse a registered code.
     */
    static OAuthException slowDown(Map<String, String> rateLimitHeaders) {
        return new OAuthException(429, "slow_down", "Too many requests; retry later.", rateLimitHeaders);
    }

    /** 503 {@code temporarily_unavailable} (RFC 6749 §4.1.2.1's code, the closest for a store outage). */
    static OAuthException temporarilyUnavailable() {
        return new OAuthException(503, "temporarily_unavailable", "Temporarily unavailable; retry later.",
                Map.of("retry-after", "1"));
    }

    /** 500 {@code server_error}. */
    static OAuthException serverError() {
        return new OAuthException(500, "server_error", "Internal error.", Map.of());
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** The RFC 6749 §5.2 body. */
    Map<String, String> body() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", getMessage());
        return body;
    }
}
