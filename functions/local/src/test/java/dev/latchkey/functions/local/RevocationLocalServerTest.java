package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11 §1 and §5 through the local server, as the README's curl flow does it: an access token stops working on
 * Latchkey's own routes the request after its session ends (logout) or after it is revoked with
 * {@code POST /oauth/revoke}, and an API key sent there is really revoked.
 */
class RevocationLocalServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PASSWORD = "correct-horse-staple-92!";

    @TempDir
    Path dataDir;

    private static HttpResponse<String> send(LocalServer server, String method, String path, String contentType,
            String body, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }

    private static JsonNode login(LocalServer server) throws IOException, InterruptedException {
        var response = send(server, "POST", "/v1/auth/login/password", "application/json",
                "{\"email\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }

    private static HttpResponse<String> revoke(LocalServer server, String token)
            throws IOException, InterruptedException {
        return send(server, "POST", "/oauth/revoke", "application/x-www-form-urlencoded",
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), null);
    }

    private static void assertInvalidToken(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer error=\"invalid_token\"");
    }

    @Test
    @DisplayName("Issue 11 §1/§5 on the local server: logout and /oauth/revoke stop the access token on the next "
            + "request; an API key sent to /oauth/revoke is revoked")
    void logoutAndRevocationStopTokensAtOnce() throws Exception {
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            assertThat(send(server, "POST", "/v1/auth/register", "application/json",
                    "{\"email\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\",\"name\":\"Ada Lovelace\"}",
                    null).statusCode()).isEqualTo(201);

            JsonNode first = login(server);
            String access = first.path("access_token").asString();
            assertThat(send(server, "GET", "/v1/users/me", null, null, access).statusCode()).isEqualTo(200);
            var logout = send(server, "POST", "/v1/auth/logout", "application/json",
                    "{\"refresh_token\":\"" + first.path("refresh_token").asString() + "\"}", null);
            assertThat(logout.statusCode()).isEqualTo(204);
            assertInvalidToken(send(server, "GET", "/v1/users/me", null, null, access));

            JsonNode second = login(server);
            String revoked = second.path("access_token").asString();
            var me = send(server, "GET", "/v1/users/me", null, null, revoked);
            assertThat(me.statusCode()).isEqualTo(200);
            String org = json(me).path("memberships").get(0).path("organization_id").asString();
            var created = send(server, "POST", "/v1/orgs/" + org + "/api-keys", "application/json",
                    "{\"name\":\"worker\",\"permissions\":[\"read_models\"]}", revoked);
            assertThat(created.statusCode()).isEqualTo(201);
            String key = json(created).path("key").asString();

            var revokedToken = revoke(server, revoked);
            assertThat(revokedToken.statusCode()).isEqualTo(200);
            assertThat(revokedToken.body()).isEmpty();
            assertInvalidToken(send(server, "GET", "/v1/users/me", null, null, revoked));
            assertInvalidToken(send(server, "GET", "/v1/orgs/" + org + "/api-keys", null, null, revoked));
            assertThat(send(server, "POST", "/oauth/token", "application/x-www-form-urlencoded",
                    "grant_type=refresh_token&refresh_token=" + second.path("refresh_token").asString(), null)
                    .statusCode()).as("revoking an access token leaves its session: the refresh token works")
                    .isEqualTo(200);

            assertThat(revoke(server, key).statusCode()).isEqualTo(200);
            var verify = send(server, "POST", "/v1/api-keys/verify", "application/json",
                    "{\"key\":\"" + key + "\"}", null);
            assertThat(json(verify).path("valid").asBoolean()).isFalse();
            assertThat(json(verify).path("code").asString()).isEqualTo("REVOKED");
        }
    }
}
