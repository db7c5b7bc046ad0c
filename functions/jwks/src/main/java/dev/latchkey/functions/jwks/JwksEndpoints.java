package dev.latchkey.functions.jwks;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.ErrorResponses;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.Jwks;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.metadata.AuthorizationServerMetadata;
import dev.latchkey.core.metadata.OpenIdProviderMetadata;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of API.md "jwks":
 * <ul>
 *   <li>{@code GET /.well-known/jwks.json}: the published public keys (RFC 7517), cacheable for
 *       the key policy's JWKS max-age, with a strong {@code ETag} and 304 on a matching
 *       {@code If-None-Match} (RFC 9110 §13.1.2);</li>
 *   <li>{@code GET /.well-known/oauth-authorization-server}: the RFC 8414 issuer metadata
 *       ({@link AuthorizationServerMetadata}) — only what Latchkey really supports;</li>
 *   <li>{@code GET /.well-known/openid-configuration}: the OpenID Provider configuration (OpenID Connect
 *       Discovery §3, {@link OpenIdProviderMetadata}), consistent with the RFC 8414 document.</li>
 * </ul>
 */
final class JwksEndpoints {

    /** Metadata changes only with a deployment: an hour of caching is safe. */
    static final String METADATA_CACHE = "public, max-age=3600";

    private JwksEndpoints() {
    }

    static Router routes(CurrentKeys keys, Optional<URI> issuer, KeyPolicy policy) {
        return Router.builder()
                .route("GET /.well-known/jwks.json", request -> jwks(keys.jwks(), request))
                .route("GET /.well-known/openid-configuration", request -> openIdConfiguration(issuer, request))
                .route("GET /.well-known/oauth-authorization-server", request -> metadata(issuer, request))
                .build();
    }

    private static HttpResponse jwks(Jwks jwks, HttpRequest request) {
        String cacheControl = "public, max-age=" + jwks.maxAgeSeconds();
        boolean notModified = request.headers().first("if-none-match").map(jwks::matches).orElse(false);
        HttpResponse response = notModified ? new HttpResponse(304, Map.of(), new byte[0])
                : HttpResponse.json(200, jwks.body());
        return response.withHeader("etag", jwks.etag()).withHeader("cache-control", cacheControl);
    }

    private static HttpResponse openIdConfiguration(Optional<URI> issuer, HttpRequest request) {
        if (issuer.isEmpty()) {
            return ErrorResponses.body(ErrorCode.SERVICE_UNAVAILABLE, "The issuer URL is not configured.",
                    Map.of("variable", "LATCHKEY_ISSUER"), request.requestId());
        }
        OpenIdProviderMetadata metadata = OpenIdProviderMetadata.of(issuer.get().toString());
        return HttpResponse.json(200, Json.write(metadata)).withHeader("cache-control", METADATA_CACHE);
    }

    private static HttpResponse metadata(Optional<URI> issuer, HttpRequest request) {
        if (issuer.isEmpty()) {
            return ErrorResponses.body(ErrorCode.SERVICE_UNAVAILABLE, "The issuer URL is not configured.",
                    Map.of("variable", "LATCHKEY_ISSUER"), request.requestId());
        }
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.of(issuer.get().toString());
        return HttpResponse.json(200, Json.write(metadata)).withHeader("cache-control", METADATA_CACHE);
    }
}
