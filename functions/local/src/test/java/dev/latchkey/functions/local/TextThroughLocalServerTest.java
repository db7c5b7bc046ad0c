package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.infrastructure.mail.FileOutboxMailer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11 §4 through the real local server: text that is not Unicode, or that hides itself, is refused with 400
 * everywhere and written nowhere — unpaired surrogates in any JSON string of any route of the catalog, invalid or
 * overlong UTF-8 bytes in a body, and invisible or bidirectional characters in every kind of name.
 */
class TextThroughLocalServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PASSWORD = "Marmalade-Comet-Lantern-93";
    private static final Pattern TOKEN = Pattern.compile("lkv_[A-Za-z0-9_-]{43}");
    /** The three unpaired surrogates, as JSON escapes: high, low, and a high one at the end. */
    private static final List<String> SURROGATES = List.of("\\ud800", "\\udc00", "abc\\ud83d");

    /** The create and rename routes, and the revoke that answered 503 before. */
    private static final Set<String> NAMED_ROUTES = Set.of("POST /v1/auth/register", "POST /v1/orgs",
            "PATCH /v1/orgs/{orgId}", "POST /v1/orgs/{orgId}/teams", "PATCH /v1/orgs/{orgId}/teams/{teamId}",
            "POST /v1/orgs/{orgId}/resources", "PATCH /v1/orgs/{orgId}/resources/{resourceId}",
            "POST /v1/orgs/{orgId}/clients", "PATCH /v1/orgs/{orgId}/clients/{clientId}",
            "POST /v1/orgs/{orgId}/api-keys", "POST /v1/orgs/{orgId}/api-keys/{keyId}/revoke",
            "POST /v1/auth/passkeys/register/options", "PATCH /v1/users/me/passkeys/{passkeyId}");

    /** The write routes that take no body at all (they never read one, so there is no text to refuse). */
    private static final Set<String> BODYLESS_ROUTES = Set.of("PUT /v1/orgs/{orgId}/teams/{teamId}/members/{userId}");

    @TempDir
    static Path dataDir;

    private static LocalServer server;
    private static FileOutboxMailer outbox;
    private static String access;
    private static Map<String, String> ids;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString()));
        outbox = new FileOutboxMailer(dataDir.resolve("outbox"), Clock.systemUTC(), new SecureRandom());
        assertThat(post("/v1/auth/register", null, "{\"email\":\"ada@example.com\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"Ada Lovelace\"}").statusCode()).isEqualTo(201);
        Matcher token = TOKEN.matcher(outbox.latest(MailMessage.EMAIL_VERIFICATION, "ada@example.com").orElseThrow()
                .text());
        assertThat(token.find()).isTrue();
        assertThat(post("/v1/auth/email/verify", null, "{\"token\":\"" + token.group() + "\"}").statusCode())
                .isEqualTo(200);
        access = json(post("/v1/auth/login/password", null, "{\"email\":\"ada@example.com\",\"password\":\""
                + PASSWORD + "\"}")).path("access_token").asString();
        JsonNode me = json(get("/v1/users/me"));
        String userId = me.path("user").path("id").asString();
        String orgId = json(post("/v1/orgs", access, "{\"name\":\"Engines\"}")).path("id").asString();
        String teamId = json(post("/v1/orgs/" + orgId + "/teams", access, "{\"name\":\"Analysts\"}")).path("id")
                .asString();
        String resourceId = json(post("/v1/orgs/" + orgId + "/resources", access,
                "{\"name\":\"Engine API\",\"audience\":\"https://engine.example.com\",\"scopes\":[\"run\"]}"))
                .path("id").asString();
        String clientId = json(post("/v1/orgs/" + orgId + "/clients", access, "{\"name\":\"Mill\"}"))
                .path("client_id").asString();
        String keyId = json(post("/v1/orgs/" + orgId + "/api-keys", access,
                "{\"name\":\"worker\",\"permissions\":[\"run\"]}")).path("id").asString();
        ids = Map.of("orgId", orgId, "teamId", teamId, "resourceId", resourceId, "clientId", clientId,
                "keyId", keyId, "userId", userId, "granteeId", userId);
        ids.forEach((name, id) -> assertThat(id).as(name).isNotBlank());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.url().resolve(path)).header("authorization", "Bearer "
                + access).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String bearer, String json) throws Exception {
        return send("POST", path, bearer, json.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(String method, String path, String bearer, byte[] body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("content-type", "application/json");
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return Json.mapper().readTree(response.body());
    }

    /** The route's path with the ids of things that exist, fresh ones for the rest. */
    private static String path(String route) {
        String path = route.substring(route.indexOf(' ') + 1);
        for (var id : ids.entrySet()) {
            path = path.replace("{" + id.getKey() + "}", id.getValue());
        }
        return path.replaceAll("\\{[A-Za-z]+}", "x_00000000000000000000000000");
    }

    private static String names() throws Exception {
        return get("/v1/orgs/" + ids.get("orgId") + "/teams").body() + get("/v1/orgs/" + ids.get("orgId")
                + "/resources").body() + get("/v1/orgs/" + ids.get("orgId") + "/clients").body()
                + get("/v1/orgs/" + ids.get("orgId") + "/api-keys?include_revoked=true").body()
                + get("/v1/orgs/" + ids.get("orgId")).body() + get("/v1/users/me").body();
    }

    @Test
    @DisplayName("[16.5.1] issue 11 §4: an unpaired surrogate in any JSON string of every POST/PUT/PATCH route of the "
            + "catalog: never a 5xx, never a write; the create, rename and revoke routes 400 VALIDATION_ERROR")
    void everyWriteRouteWhenUnpairedSurrogateThenRefusedAndNothingWritten() throws Exception {
        String before = names();
        List<String> routes = new ArrayList<>();
        for (ApiCatalog.FunctionSpec function : ApiCatalog.functions()) {
            if (function.isHttp()) {
                function.routes().stream().map(r -> r.key())
                        .filter(key -> key.startsWith("POST ") || key.startsWith("PUT ") || key.startsWith("PATCH "))
                        .filter(key -> !BODYLESS_ROUTES.contains(key))
                        .forEach(routes::add);
            }
        }
        assertThat(routes).containsAll(NAMED_ROUTES);
        SoftAssertions soft = new SoftAssertions();
        for (String route : routes) {
            for (String surrogate : SURROGATES) {
                String body = "{\"name\":\"" + surrogate + "\",\"nickname\":\"" + surrogate + "\",\"reason\":\""
                        + surrogate + "\",\"description\":\"" + surrogate + "\",\"email\":\"a" + surrogate
                        + "@example.com\",\"password\":\"" + surrogate + "\"}";
                var response = send(route.substring(0, route.indexOf(' ')), path(route), access,
                        body.getBytes(StandardCharsets.UTF_8));
                soft.assertThat(response.statusCode()).as(route + " with " + surrogate).isBetween(400, 499);
                if (NAMED_ROUTES.contains(route)) {
                    soft.assertThat(response.statusCode()).as(route + " with " + surrogate).isEqualTo(400);
                    soft.assertThat(response.body()).as(route).contains("VALIDATION_ERROR");
                }
            }
        }
        soft.assertAll();
        assertThat(names()).as("nothing renamed, created or revoked").isEqualTo(before);
        JsonNode key = json(get("/v1/orgs/" + ids.get("orgId") + "/api-keys/" + ids.get("keyId")));
        assertThat(key.path("revoked_at").isString()).as("the key stays unrevoked: " + key).isFalse();
    }

    @Test
    @DisplayName("[16.5.1] issue 11 §4: invalid (0xC3 0x28), overlong (0xC0 0xAF) and truncated UTF-8 in a body → "
            + "400 through the local server, never stored as U+FFFD")
    void bodyWhenInvalidOrOverlongUtf8ThenValidationErrorAndNothingStored() throws Exception {
        String before = names();
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"name\":\"Team ".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));

            var team = send("POST", "/v1/orgs/" + ids.get("orgId") + "/teams", access, body.toByteArray());
            var rename = send("PATCH", "/v1/orgs/" + ids.get("orgId"), access, body.toByteArray());

            for (var response : List.of(team, rename)) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
                assertThat(json400(response).path("error").path("message").asString())
                        .isEqualTo("Request body is not valid UTF-8.");
            }
        }
        assertThat(names()).isEqualTo(before).doesNotContain("\uFFFD", "\\ufffd");
    }

    private static JsonNode json400(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }

    @Test
    @DisplayName("issue 11 §4: bidi controls, zero-width characters, BOM and tag characters in a user, API-key, team "
            + "and organization name → 400 through the local server")
    void namesWhenHiddenCharactersThenValidationError() throws Exception {
        for (String hidden : List.of("\\u202e", "\\u2066", "\\u200b", "\\ufeff", "\\udb40\\udc61", "\\u200f")) {
            String name = "Ada" + hidden + "Lovelace";
            var register = post("/v1/auth/register", null, "{\"email\":\"eve@example.com\",\"password\":\""
                    + PASSWORD + "\",\"name\":\"" + name + "\"}");
            var key = post("/v1/orgs/" + ids.get("orgId") + "/api-keys", access, "{\"name\":\"" + name
                    + "\",\"permissions\":[]}");
            var team = post("/v1/orgs/" + ids.get("orgId") + "/teams", access, "{\"name\":\"" + name + "\"}");
            var org = send("PATCH", "/v1/orgs/" + ids.get("orgId"), access, ("{\"name\":\"" + name + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            for (var response : List.of(register, key, team, org)) {
                assertThat(response.statusCode()).as(hidden + ": " + response.body()).isEqualTo(400);
                assertThat(json400(response).path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
            }
        }
    }
}
