package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Json;
import dev.latchkey.core.mfa.Base32;
import dev.latchkey.core.mfa.Totp;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * An organization's {@code require_mfa} through the local server, with nothing but HTTP (issue 14 item 5): an owner
 * enrols TOTP, cannot turn the policy on with the password session that predates the factor (401
 * {@code insufficient_user_authentication}), signs in with password + code and turns it on; that older session
 * then gets the RFC 9470 challenge on the organization's routes (orgs and api-keys functions) while the
 * multi-factor one works; a user without a factor who is no member still gets 404; an admin reset of a
 * non-member's factor is 404.
 */
class OrgMfaPolicyLocalServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PASSWORD = "Heliotrope-Quasar-Lattice-58";

    @TempDir
    Path dataDir;

    private static HttpResponse<String> send(LocalServer server, String method, String path, Object body,
            String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }

    private static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response);
    }

    private static String register(LocalServer server, String email) throws IOException, InterruptedException {
        ok(send(server, "POST", "/v1/auth/register", Map.of("email", email, "password", PASSWORD, "name", "Test"),
                null), 201);
        return ok(send(server, "POST", "/v1/auth/login/password", Map.of("email", email, "password", PASSWORD),
                null), 200).path("access_token").asString();
    }

    private static String code(byte[] secret, long step) {
        return Totp.code(secret, step, Totp.Algorithm.SHA1, Totp.DIGITS);
    }

    @Test
    void requireMfaWhenTurnedOnThroughTheLocalServerThenOlderPasswordSessionChallengedAndMultiFactorSessionServed()
            throws Exception {
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            String password = register(server, "grace@example.com");
            String org = ok(send(server, "POST", "/v1/orgs", Map.of("name", "Navy"), password), 201).path("id")
                    .asString();

            JsonNode started = ok(send(server, "POST", "/v1/users/me/mfa/totp", null, password), 201);
            byte[] secret = Base32.decode(started.path("secret").asString());
            long step = Totp.step(Instant.now());
            ok(send(server, "POST", "/v1/users/me/mfa/totp/confirm", Map.of("code", code(secret, step)), password),
                    200);

            var notUsed = send(server, "PATCH", "/v1/orgs/" + org, Map.of("require_mfa", true), password);
            assertThat(notUsed.statusCode()).as(notUsed.body()).isEqualTo(401);
            assertThat(notUsed.headers().firstValue("www-authenticate").orElseThrow())
                    .contains("insufficient_user_authentication");

            String mfaToken = ok(send(server, "POST", "/v1/auth/login/password",
                    Map.of("email", "grace@example.com", "password", PASSWORD), null), 200).path("mfa_token")
                    .asString();
            String multiFactor = ok(send(server, "POST", "/v1/auth/login/mfa",
                    Map.of("mfa_token", mfaToken, "code", code(secret, step + 1)), null), 200).path("access_token")
                    .asString();
            JsonNode on = ok(send(server, "PATCH", "/v1/orgs/" + org, Map.of("require_mfa", true), multiFactor),
                    200);
            assertThat(on.path("require_mfa").asBoolean()).isTrue();

            var challenged = send(server, "GET", "/v1/orgs/" + org + "/members", null, password);
            assertThat(challenged.statusCode()).as(challenged.body()).isEqualTo(401);
            assertThat(json(challenged).path("error").path("details").path("policy").asString())
                    .isEqualTo("ORGANIZATION_REQUIRES_MFA");
            ok(send(server, "GET", "/v1/orgs/" + org + "/members", null, multiFactor), 200);
            assertThat(send(server, "GET", "/v1/orgs/" + org + "/api-keys", null, password).statusCode())
                    .as("the api-keys function asks the same Authorizer").isEqualTo(401);
            ok(send(server, "GET", "/v1/orgs/" + org + "/api-keys", null, multiFactor), 200);

            String stranger = register(server, "hopper@example.com");
            assertThat(send(server, "GET", "/v1/orgs/" + org, null, stranger).statusCode())
                    .as("a stranger learns nothing, not even the policy").isEqualTo(404);
            String strangerId = ok(send(server, "GET", "/v1/users/me", null, stranger), 200).path("user").path("id")
                    .asString();
            assertThat(send(server, "DELETE", "/v1/orgs/" + org + "/members/" + strangerId + "/mfa", null,
                    multiFactor).statusCode()).as("never outside the organization").isEqualTo(404);
        }
    }
}
