package dev.latchkey.core.oauth;

import dev.latchkey.core.client.PresentedClientCredentials;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.RequestedScope;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to an OAuth endpoint as the protocol rules see it: the parsed form body, the {@code Authorization}
 * header (client_secret_basic), and where it came from. No other part of the HTTP request matters to OAuth.
 *
 * @param form the {@code application/x-www-form-urlencoded} body
 * @param authorization the {@code Authorization} header, if sent
 * @param sourceIp the caller's address as the request carries it (possibly empty)
 * @param requestId the request id as the request carries it
 */
public record OAuthRequest(OAuthForm form, Optional<String> authorization, String sourceIp, String requestId) {

    /** Checks nothing is missing. */
    public OAuthRequest {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(requestId, "requestId");
    }

    /**
     * Reads an HTTP request: its form body strictly ({@link OAuthForm#parse}) and its {@code Authorization} header.
     *
     * @throws OAuthError {@code invalid_request} for a wrong content type or a malformed body
     */
    public static OAuthRequest of(HttpRequest request) {
        OAuthForm form = OAuthForm.parse(request.headers().first("content-type").orElse(""), request.body());
        return new OAuthRequest(form, request.headers().first("authorization"), request.sourceIp(),
                request.requestId());
    }

    /** The origin for audit events ({@link RequestOrigin#of(String, String)}). */
    public RequestOrigin origin() {
        return RequestOrigin.of(sourceIp, requestId);
    }

    /**
     * The client authentication method presented, if any ({@link ClientCredentialsParser}).
     *
     * @throws OAuthError when more than one is presented or one is malformed
     */
    public Optional<PresentedClientCredentials> credentials() {
        return ClientCredentialsParser.parse(authorization, form);
    }

    /**
     * The requested resource: RFC 8707 {@code resource} or {@code audience} (RFC 8693); both may be sent only
     * when equal (one resource per token).
     *
     * @throws OAuthError {@code invalid_target} when both are sent and differ
     */
    public Optional<String> resource() {
        Optional<String> resource = form.get("resource");
        Optional<String> audience = form.get("audience");
        if (resource.isPresent() && audience.isPresent() && !resource.equals(audience)) {
            throw OAuthError.invalidTarget();
        }
        return resource.or(() -> audience);
    }

    /**
     * The {@code scope} parameter, parsed by the one scope parser ({@link RequestedScope#parse}, RFC 6749 §3.3).
     *
     * @throws OAuthError {@code invalid_scope} when it is malformed
     */
    public Optional<List<String>> scope() {
        try {
            return form.get("scope").map(RequestedScope::parse);
        } catch (InvalidScopeException e) {
            throw OAuthError.scopeNotGranted();
        }
    }

    /** Never prints the form or the header: they carry credentials. */
    @Override
    public String toString() {
        return "OAuthRequest[requestId=" + requestId + "]";
    }
}
