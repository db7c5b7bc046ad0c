package dev.latchkey.functions.jwks;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.ErrorResponses;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.json.Json;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.Jwks;
import dev.latchkey.core.keys.KeyPolicy;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of API.md "jwks":
 * <ul>
 *   <li>{@code GET /.well-known/jwks.json}: the published public keys (RFC 7517), cacheable for
 *       the key policy's JWKS max-age, with a strong {@code ETag} and 304 on a matching
 *       {@code If-None-Match} (RFC 9110 §13.1.2);</li>
 *   <li>{@code GET /.well-known/oauth-authorization-server} (RFC 8414) and
 *       {@code GET /.well-known/openid-configuration}: the issuer metadata — only what Latchkey
 *       really supports today.</li>
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
                .route("GET /.well-known/openid-configuration", request -> metadata(issuer, request))
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

    private static HttpResponse metadata(Optional<URI> issuer, HttpRequest request) {
        if (issuer.isEmpty()) {
            return ErrorResponses.body(ErrorCode.SERVICE_UNAVAILABLE, "The issuer URL is not configured.",
                    Map.of("variable", "LATCHKEY_ISSUER"), request.requestId());
        }
        String base = issuer.get().toString();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", base);
        metadata.put("jwks_uri", base + "/.well-known/jwks.json");
        metadata.put("token_endpoint", base + "/oauth/token");
        metadata.put("revocation_endpoint", base + "/oauth/revoke");
        metadata.put("introspection_endpoint", base + "/oauth/introspect");
        metadata.put("grant_types_supported", List.of("refresh_token", "client_credentials",
                "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:token-exchange"));
        metadata.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic",
                "client_secret_post", "private_key_jwt"));
        metadata.put("token_endpoint_auth_signing_alg_values_supported", List.of("EdDSA", "ES256"));
        metadata.put("revocation_endpoint_auth_methods_supported", List.of("none"));
        metadata.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic",
                "client_secret_post", "private_key_jwt"));
        metadata.put("introspection_endpoint_auth_signing_alg_values_supported", List.of("EdDSA", "ES256"));
        metadata.put("response_types_supported", List.of());
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", List.of("ES256"));
        metadata.put("access_token_signing_alg_values_supported", List.of("ES256"));
        return HttpResponse.json(200, Json.write(metadata)).withHeader("cache-control", METADATA_CACHE);
    }
}
