package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.client.ClientKeyFixture;
import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15: the applications routes through the real Lambda entry ({@code FunctionInvoker}) on the emulated table —
 * every event, and a life: create (the secret once, no-store) → list → show → update → rotate → delete, with the
 * service clients' permissions (a member may read, not create); and a {@code private_key_jwt} application's keys:
 * add → shown → revoke, with the service clients' key formats and permissions.
 */
class ApplicationsFunctionInvokerTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static Accounts accounts;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, dataDir);
        accounts = function.accounts();
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    private static LambdaHarness.Response call(String method, String path, Map<String, String> auth, Object body) {
        return function.invoke(method, path, "", auth, body);
    }

    private static String organization(Person owner) {
        var created = call("POST", "/v1/orgs", owner.bearer(), Map.of("name", "Apps " + NAMES.incrementAndGet()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.bodyJson().path("id").asString();
    }

    @Test
    void everyApplicationEventAnswers401ThroughFunctionInvoker() throws IOException {
        List<Path> files = Events.of("orgs").stream()
                .filter(p -> p.getFileName().toString().startsWith("application-")).toList();
        Set<String> routes = new HashSet<>();
        for (Path file : files) {
            String text = Files.readString(file);
            JsonNode event = Json.mapper().readTree(text);
            assertThat(ApiCatalog.match(event.path("requestContext").path("http").path("method").asString(),
                    event.path("rawPath").asString())).as(file + " is a catalog route").isPresent();
            routes.add(event.path("routeKey").asString());
            var response = function.invoke(text);
            assertThat(response.status()).as(file.toString()).isEqualTo(401);
            assertThat(response.errorCode()).isEqualTo("AUTHENTICATION_FAILED");
        }
        assertThat(routes).as("an event for every route")
                .containsExactlyInAnyOrderElementsOf(ApplicationEndpoints.PERMISSIONS.keySet());
    }

    @Test
    void applicationLifeThroughFunctionInvoker() {
        Person owner = accounts.person("apps.owner");
        String orgId = organization(owner);
        String base = "/v1/orgs/" + orgId + "/applications";

        var created = call("POST", base, owner.bearer(), Map.of("name", "Portal", "type", "confidential",
                "redirect_uris", List.of("https://portal.example.com/login/oauth2/code/latchkey"),
                "post_logout_redirect_uris", List.of("https://portal.example.com/")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("cache-control")).isEqualTo("no-store");
        JsonNode app = created.bodyJson();
        String clientId = app.path("client_id").asString();
        assertThat(clientId).startsWith("app_");
        assertThat(app.path("client_secret").asString()).startsWith("lkcs_");
        assertThat(app.path("token_endpoint_auth_method").asString()).isEqualTo("client_secret_basic");
        assertThat(app.path("id_token_signed_response_alg").asString()).isEqualTo("RS256");

        var shown = call("GET", base + "/" + clientId, owner.bearer(), null);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).doesNotContain(app.path("client_secret").asString()).doesNotContain("hash");
        var invalid = call("POST", base, owner.bearer(), Map.of("name", "Bad", "type", "public",
                "redirect_uris", List.of("http://evil.example/cb")));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.bodyJson().path("error").path("details").path("field").asString())
                .isEqualTo("redirect_uris");

        Person member = accounts.person("apps.member");
        accounts.join(member, orgId, Role.MEMBER);
        assertThat(call("POST", base, member.bearer(), Map.of("name", "X", "type", "public", "redirect_uris",
                List.of("https://x.example/cb"))).status()).isEqualTo(403);

        var updated = call("PATCH", base + "/" + clientId, owner.bearer(), Map.of("first_party", true,
                "scopes", List.of("openid", "email")));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.bodyJson().path("first_party").asBoolean()).isTrue();
        var listed = call("GET", base, owner.bearer(), null);
        assertThat(listed.status()).isEqualTo(200);
        var rotated = call("POST", base + "/" + clientId + "/secret", owner.bearer(), null);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        assertThat(rotated.bodyJson().path("client_secret").asString()).startsWith("lkcs_")
                .isNotEqualTo(app.path("client_secret").asString());
        assertThat(call("DELETE", base + "/" + clientId, owner.bearer(), null).status()).isEqualTo(204);
        assertThat(call("GET", base + "/" + clientId, owner.bearer(), null).status()).isEqualTo(404);
    }

    @Test
    void applicationKeysThroughFunctionInvoker() {
        Person owner = accounts.person("apps.keys.owner");
        String orgId = organization(owner);
        String base = "/v1/orgs/" + orgId + "/applications";
        var created = call("POST", base, owner.bearer(), Map.of("name", "Backend", "type", "confidential",
                "token_endpoint_auth_method", "private_key_jwt",
                "redirect_uris", List.of("https://backend.example.com/callback")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.bodyJson().has("client_secret")).isFalse();
        String clientId = created.bodyJson().path("client_id").asString();
        Map<String, Object> jwk = ClientKeyFixture.jwk(ClientKeyFixture.p256().getPublic());
        jwk.put("kid", "backend-1");

        var added = call("POST", base + "/" + clientId + "/keys", owner.bearer(), Map.of("jwk", jwk));

        assertThat(added.status()).as(added.body()).isEqualTo(201);
        JsonNode key = added.bodyJson();
        assertThat(key.path("key_id").asString()).startsWith("ck_");
        assertThat(key.path("kid").asString()).isEqualTo("backend-1");
        assertThat(key.path("alg").asString()).isEqualTo("ES256");
        assertThat(key.path("state").asString()).isEqualTo("active");
        assertThat(key.path("client_id").asString()).isEqualTo(clientId);
        var shown = call("GET", base + "/" + clientId, owner.bearer(), null);
        assertThat(shown.bodyJson().path("keys").get(0).path("key_id").asString())
                .isEqualTo(key.path("key_id").asString());
        assertThat(shown.body()).doesNotContain((String) jwk.get("x"));
        assertThat(call("POST", base + "/" + clientId + "/keys", owner.bearer(), Map.of("jwk", jwk)).errorCode())
                .isEqualTo("CONFLICT");

        Person member = accounts.person("apps.keys.member");
        accounts.join(member, orgId, Role.MEMBER);
        assertThat(call("POST", base + "/" + clientId + "/keys", member.bearer(), Map.of("jwk",
                ClientKeyFixture.jwk(ClientKeyFixture.ed25519().getPublic()))).status()).isEqualTo(403);
        assertThat(call("DELETE", base + "/" + clientId + "/keys/" + key.path("key_id").asString(),
                member.bearer(), null).status()).isEqualTo(403);

        assertThat(call("DELETE", base + "/" + clientId + "/keys/" + key.path("key_id").asString(),
                owner.bearer(), null).status()).isEqualTo(204);
        assertThat(call("GET", base + "/" + clientId, owner.bearer(), null).bodyJson().path("keys").get(0)
                .path("state").asString()).isEqualTo("revoked");
        assertThat(call("DELETE", base + "/" + clientId + "/keys/ck_01JD3ZP6D9T7Y2W6Q8S1V4X3N7", owner.bearer(),
                null).status()).isEqualTo(404);
    }
}
