package dev.latchkey.functions.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Route;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every {@code events/jwks/*.json} through {@code FunctionInvoker} against an emulated table with a key ring. */
class JwksFunctionInvokerTest {

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static String activeKid;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        activeKid = new RotateSigningKeys(new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE),
                LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, new SecureRandom()), KeyPolicy.defaults(),
                new InMemoryAuditLog(Clock.systemUTC()), new SortableIdGenerator(Clock.systemUTC(), new SecureRandom()),
                Clock.systemUTC(), new SecureRandom()).run("test").activeKid();
        var spec = ApiCatalog.function(JwksApplication.FUNCTION);
        lambda = LambdaHarness.start(spec.mainClass(), spec.name(), LambdaHarness.localVariables(table));
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void everyJwksEventAnswersThroughFunctionInvoker() throws IOException {
        var events = Events.of("jwks");
        assertThat(events).hasSize(4);
        for (Path event : events) {
            var response = lambda.invoke(Files.readString(event));
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(response.status()).as(event.getFileName().toString()).isEqualTo(200);
            assertThat(response.header("cache-control")).startsWith("public, max-age=");
        }
    }

    /** JWKS publishes public members only, the active and the next key, each with a unique kid. */
    @Test
    void jwksHasPublicMembersOnlyAndTheActiveAndNextKeys() throws IOException {
        var response = lambda.invoke(Files.readString(event("jwks.json")));
        assertThat(response.header("cache-control")).isEqualTo("public, max-age=600");
        assertThat(response.header("etag")).matches("\"[A-Za-z0-9_-]{32}\"");
        var keys = response.bodyJson().path("keys");
        assertThat(keys).as("ES256 and RS256, each active and next").hasSize(4);
        assertThat(keys.valueStream().map(k -> k.path("kid").asString()).distinct()).hasSize(4).contains(activeKid);
        keys.forEach(key -> assertThat(key.propertyNames())
                .containsExactlyInAnyOrderElementsOf(key.path("kty").asString().equals("RSA")
                        ? List.of("kty", "n", "e", "kid", "use", "alg")
                        : List.of("kty", "crv", "x", "y", "kid", "use", "alg"))
                .doesNotContain("d", "p", "q", "sealed_private_key"));
    }

    @Test
    void ifNoneMatchWithTheCurrentEtagAnswers304WithoutBody() throws IOException {
        String json = Files.readString(event("jwks.json"));
        String etag = lambda.invoke(json).header("etag");
        var again = lambda.invoke(json.replace("\"accept\":",
                "\"if-none-match\": " + quoted(etag) + ",\n    \"accept\":"));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("etag")).isEqualTo(etag);
        var stale = lambda.invoke(Files.readString(event("jwks-stale-etag.json")));
        assertThat(stale.status()).isEqualTo(200);
    }

    /** Issue 12 §2: the RFC 8414 document through the Lambda entry, exactly the members Latchkey supports. */
    @Test
    void oauthAuthorizationServerMetadataNamesTheIssuerItsEndpointsAndOnlyWhatIsSupported() throws IOException {
        var response = lambda.invoke(Files.readString(event("oauth-authorization-server.json")));
        var body = response.bodyJson();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("cache-control")).isEqualTo(JwksEndpoints.METADATA_CACHE);
        assertThat(body.propertyNames()).containsExactly("issuer", "authorization_endpoint", "jwks_uri",
                "token_endpoint", "token_endpoint_auth_methods_supported",
                "token_endpoint_auth_signing_alg_values_supported", "grant_types_supported",
                "response_types_supported", "code_challenge_methods_supported", "revocation_endpoint",
                "revocation_endpoint_auth_methods_supported", "revocation_endpoint_auth_signing_alg_values_supported",
                "introspection_endpoint", "introspection_endpoint_auth_methods_supported",
                "introspection_endpoint_auth_signing_alg_values_supported",
                "authorization_response_iss_parameter_supported");
        assertThat(body.path("authorization_endpoint").asString())
                .isEqualTo(LambdaHarness.ISSUER + "/oauth/authorize");
        assertThat(strings(body.path("code_challenge_methods_supported"))).containsExactly("S256");
        assertThat(body.path("issuer").asString()).isEqualTo(LambdaHarness.ISSUER);
        assertThat(body.path("jwks_uri").asString()).isEqualTo(LambdaHarness.ISSUER + "/.well-known/jwks.json");
        assertThat(body.path("token_endpoint").asString()).isEqualTo(LambdaHarness.ISSUER + "/oauth/token");
        assertThat(body.path("revocation_endpoint").asString()).isEqualTo(LambdaHarness.ISSUER + "/oauth/revoke");
        assertThat(body.path("introspection_endpoint").asString())
                .isEqualTo(LambdaHarness.ISSUER + "/oauth/introspect");
        assertThat(strings(body.path("grant_types_supported"))).containsExactly("authorization_code", "refresh_token",
                "client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "urn:ietf:params:oauth:grant-type:token-exchange");
        assertThat(strings(body.path("response_types_supported"))).containsExactly("code");
        assertThat(strings(body.path("token_endpoint_auth_methods_supported"))).containsExactly("none",
                "client_secret_basic", "client_secret_post", "private_key_jwt");
        assertThat(strings(body.path("introspection_endpoint_auth_methods_supported")))
                .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt");
        assertThat(strings(body.path("token_endpoint_auth_signing_alg_values_supported")))
                .containsExactly("EdDSA", "Ed25519", "ES256");
    }

    /**
     * Issue 15 §5: the OpenID Provider configuration (OIDC Discovery §3) through the Lambda entry: the required
     * members, the OpenID endpoints, and every member the RFC 8414 document also has with the same value.
     */
    @Test
    void openidConfigurationWhenServedThenCompleteAndConsistentWithTheRfc8414Document() throws IOException {
        var response = lambda.invoke(Files.readString(event("openid-configuration.json")));
        var oauth = lambda.invoke(Files.readString(event("oauth-authorization-server.json"))).bodyJson();
        var body = response.bodyJson();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("cache-control")).isEqualTo(JwksEndpoints.METADATA_CACHE);
        assertThat(body.propertyNames()).contains("issuer", "authorization_endpoint", "token_endpoint",
                "userinfo_endpoint", "jwks_uri", "end_session_endpoint", "scopes_supported",
                "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported",
                "claims_supported", "code_challenge_methods_supported", "prompt_values_supported",
                "authorization_response_iss_parameter_supported", "request_uri_parameter_supported");
        assertThat(body.path("userinfo_endpoint").asString()).isEqualTo(LambdaHarness.ISSUER + "/oauth/userinfo");
        assertThat(body.path("end_session_endpoint").asString()).isEqualTo(LambdaHarness.ISSUER + "/oauth/logout");
        assertThat(strings(body.path("response_types_supported"))).containsExactly("code");
        assertThat(strings(body.path("subject_types_supported"))).containsExactly("public");
        assertThat(strings(body.path("id_token_signing_alg_values_supported"))).containsExactly("RS256", "ES256");
        assertThat(strings(body.path("scopes_supported"))).contains("openid", "profile", "email", "offline_access");
        assertThat(strings(body.path("claims_supported"))).contains("sub", "email", "email_verified", "name",
                "nonce", "sid", "acr", "amr", "auth_time");
        assertThat(strings(body.path("prompt_values_supported"))).contains("none", "login", "consent", "create");
        assertThat(body.path("request_uri_parameter_supported").asBoolean(true)).isFalse();
        assertThat(body.path("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        oauth.properties().forEach(member -> assertThat(body.path(member.getKey())).as(member.getKey())
                .isEqualTo(member.getValue()));
    }

    private static java.util.List<String> strings(tools.jackson.databind.JsonNode array) {
        return array.valueStream().map(v -> v.asString()).toList();
    }

    @Test
    void routerServesExactlyTheCatalogRoutes() {
        var routes = JwksEndpoints.routes(null, java.util.Optional.empty(), KeyPolicy.defaults()).routes();
        assertThat(routes).extracting(Route::key).containsExactlyInAnyOrderElementsOf(
                ApiCatalog.function(JwksApplication.FUNCTION).routes().stream().map(Route::key).toList());
    }

    private static String quoted(String etag) {
        return "\"" + etag.replace("\"", "\\\"") + "\"";
    }

    private static Path event(String name) {
        return Events.of("jwks").stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow();
    }

}
