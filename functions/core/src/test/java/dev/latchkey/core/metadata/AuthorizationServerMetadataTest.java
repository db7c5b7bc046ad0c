package dev.latchkey.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.latchkey.core.http.ApiRoutes;
import dev.latchkey.core.http.Route;
import dev.latchkey.core.http.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Issue 12 §2: the RFC 8414 document is valid, registered-names-only, without empty lists, and points at routes. */
class AuthorizationServerMetadataTest {

    private static final String ISSUER = "https://id.example.com";

    /**
     * The IANA "OAuth Authorization Server Metadata" registry entries this document may use (RFC 8414 §2 and §7.1;
     * RFC 8414 §2 takes the {@code *_endpoint_auth_*} names of revocation and introspection from there too).
     */
    private static final Set<String> REGISTERED = Set.of("issuer", "authorization_endpoint", "token_endpoint",
            "jwks_uri", "registration_endpoint", "scopes_supported", "response_types_supported",
            "response_modes_supported", "grant_types_supported", "token_endpoint_auth_methods_supported",
            "token_endpoint_auth_signing_alg_values_supported", "service_documentation", "ui_locales_supported",
            "op_policy_uri", "op_tos_uri", "revocation_endpoint", "revocation_endpoint_auth_methods_supported",
            "revocation_endpoint_auth_signing_alg_values_supported", "introspection_endpoint",
            "introspection_endpoint_auth_methods_supported", "introspection_endpoint_auth_signing_alg_values_supported",
            "code_challenge_methods_supported", "authorization_response_iss_parameter_supported");

    private static JsonNode document() {
        return Json.mapper().readTree(Json.write(AuthorizationServerMetadata.of(ISSUER)));
    }

    @Test
    @DisplayName("only registered member names, none empty; the code flow only, PKCE S256, no OpenID-only members")
    void ofWhenSerializedThenRegisteredNamesOnlyAndNoEmptyList() {
        JsonNode document = document();

        assertThat(document.propertyNames()).isSubsetOf(REGISTERED).contains("issuer", "jwks_uri", "token_endpoint",
                "grant_types_supported", "token_endpoint_auth_methods_supported",
                "token_endpoint_auth_signing_alg_values_supported", "response_types_supported", "revocation_endpoint",
                "revocation_endpoint_auth_methods_supported", "introspection_endpoint",
                "introspection_endpoint_auth_methods_supported");
        document.properties().forEach(member -> {
            assertThat(member.getValue().isNull()).as(member.getKey()).isFalse();
            if (member.getValue().isArray()) {
                assertThat(member.getValue().isEmpty()).as(member.getKey()).isFalse();
            }
        });
        assertThat(document.path("authorization_endpoint").asString()).isEqualTo(ISSUER + "/oauth/authorize");
        assertThat(document.path("code_challenge_methods_supported").valueStream().map(JsonNode::asString))
                .containsExactly("S256");
        assertThat(document.has("id_token_signing_alg_values_supported")).isFalse();
        assertThat(document.has("subject_types_supported")).isFalse();
        assertThat(document.path("response_types_supported").valueStream().map(JsonNode::asString))
                .containsExactly("code");
        assertThat(document.path("grant_types_supported").valueStream().map(JsonNode::asString))
                .contains("authorization_code", "refresh_token").doesNotContain("implicit", "password");
        assertThat(document.path("issuer").asString()).isEqualTo(ISSUER);
    }

    @Test
    @DisplayName("every advertised endpoint is a route of the API catalog, with the method clients use")
    void ofWhenEndpointsAdvertisedThenEachIsACatalogRoute() {
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.of(ISSUER);

        Set<String> routes = ApiRoutes.all().stream().map(Route::key).collect(java.util.stream.Collectors.toSet());
        assertThat(routes).contains("GET " + path(metadata.jwksUri()), "POST " + path(metadata.tokenEndpoint()),
                "POST " + path(metadata.revocationEndpoint()), "POST " + path(metadata.introspectionEndpoint()),
                "GET /.well-known/oauth-authorization-server");
    }

    @Test
    void ofWhenAuthMethodsThenIntrospectionRequiresAuthenticationAndAlgorithmsAreTheAssertionOnes() {
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.of(ISSUER);

        assertThat(metadata.introspectionEndpointAuthMethodsSupported()).doesNotContain("none");
        assertThat(metadata.tokenEndpointAuthSigningAlgValuesSupported()).containsExactly("EdDSA", "Ed25519", "ES256")
                .doesNotContain("none", "HS256");
    }

    @Test
    void constructorWhenAListIsEmptyThenRejected() {
        AuthorizationServerMetadata m = AuthorizationServerMetadata.of(ISSUER);

        assertThatIllegalArgumentException().isThrownBy(() -> new AuthorizationServerMetadata(m.issuer(),
                m.authorizationEndpoint(), m.jwksUri(), m.tokenEndpoint(), m.tokenEndpointAuthMethodsSupported(),
                m.tokenEndpointAuthSigningAlgValuesSupported(), m.grantTypesSupported(), List.of(),
                m.codeChallengeMethodsSupported(), m.revocationEndpoint(), m.revocationEndpointAuthMethodsSupported(),
                m.revocationEndpointAuthSigningAlgValuesSupported(), m.introspectionEndpoint(),
                m.introspectionEndpointAuthMethodsSupported(), m.introspectionEndpointAuthSigningAlgValuesSupported(),
                true));
    }

    private static String path(String url) {
        assertThat(url).startsWith(ISSUER + "/");
        return url.substring(ISSUER.length());
    }
}
