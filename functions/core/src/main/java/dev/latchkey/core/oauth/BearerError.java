package dev.latchkey.core.oauth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An error of a resource Latchkey serves to bearer tokens — the userinfo endpoint (OIDC Core §5.3.3) — as RFC 6750
 * §3 defines it: the status, the {@code WWW-Authenticate: Bearer} challenge, and the body
 * {@code {"error","error_description"}}. A request without any token gets the bare challenge and no error code
 * (§3.1). Descriptions are fixed texts, never a token or a value from one.
 */
public final class BearerError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Optional<String> error;
    private final String challenge;

    private BearerError(int status, Optional<String> error, String description, String challenge) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.challenge = challenge;
    }

    /** 401 without an error code: no token was presented (RFC 6750 §3.1). */
    public static BearerError missingToken() {
        return new BearerError(401, Optional.empty(), "A bearer access token is required.",
                "Bearer realm=\"latchkey\"");
    }

    /** 400 {@code invalid_request}: the token sent twice (header and body), or a malformed request. */
    public static BearerError invalidRequest(String description) {
        return new BearerError(400, Optional.of("invalid_request"), description,
                "Bearer realm=\"latchkey\", error=\"invalid_request\"");
    }

    /** 401 {@code invalid_token}: expired, revoked, malformed, not for this endpoint, or its user is gone. */
    public static BearerError invalidToken() {
        return new BearerError(401, Optional.of("invalid_token"),
                "The access token is invalid, expired or revoked.",
                "Bearer realm=\"latchkey\", error=\"invalid_token\"");
    }

    /** 403 {@code insufficient_scope}: the token lacks {@code scope} (OIDC Core §5.3: {@code openid}). */
    public static BearerError insufficientScope(String scope) {
        return new BearerError(403, Optional.of("insufficient_scope"), "The access token lacks the scope " + scope
                + ".", "Bearer realm=\"latchkey\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The {@code WWW-Authenticate} header (lower-case name) and its challenge. */
    public Map<String, String> headers() {
        return Map.of("www-authenticate", challenge);
    }

    /** The JSON body: {@code error} (when there is one) and {@code error_description}. */
    public Map<String, String> body() {
        Map<String, String> body = new LinkedHashMap<>();
        error.ifPresent(value -> body.put("error", value));
        body.put("error_description", getMessage());
        return body;
    }
}
