package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 21 §1 through the local server, as the README's curl flow does it: a key with usage credits, spent by
 * many verifies at once over HTTP, is never overspent — 200 parallel verifies against 50 credits are exactly 50
 * valid — and credits added through the management route are spent next.
 */
class MeteredKeyLocalServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PASSWORD = "correct-horse-staple-92!";

    @TempDir
    Path dataDir;

    private static HttpRequest request(LocalServer server, String method, String path, String body, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        return request.build();
    }

    private static HttpResponse<String> send(LocalServer server, String method, String path, String body,
            String bearer) throws IOException, InterruptedException {
        return HTTP.send(request(server, method, path, body, bearer), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }

    /** Sends {@code count} verifies of the key at once and answers their bodies. */
    private static List<JsonNode> parallelVerifies(LocalServer server, String key, int count) {
        return parallelVerifiesOf(server, "{\"key\":\"" + key + "\"}", count);
    }

    /** Sends {@code count} verifies with this body at once and answers their bodies. */
    private static List<JsonNode> parallelVerifiesOf(LocalServer server, String body, int count) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(HTTP.sendAsync(request(server, "POST", "/v1/api-keys/verify", body, null),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return sent.stream().map(CompletableFuture::join).map(response -> {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return json(response);
        }).toList();
    }

    private static long count(List<JsonNode> answers, String code) {
        return answers.stream().filter(a -> code.equals(a.path("valid").asBoolean() ? "VALID"
                : a.path("code").asString())).count();
    }

    /** Registers, logs in and answers the access token and the personal organization's id. */
    private static String[] owner(LocalServer server) throws IOException, InterruptedException {
        assertThat(send(server, "POST", "/v1/auth/register",
                "{\"email\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\",\"name\":\"Ada Lovelace\"}",
                null).statusCode()).isEqualTo(201);
        var login = send(server, "POST", "/v1/auth/login/password",
                "{\"email\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
        String access = json(login).path("access_token").asString();
        String org = json(send(server, "GET", "/v1/users/me", null, access)).path("memberships").get(0)
                .path("organization_id").asString();
        return new String[] {access, org};
    }

    @Test
    @DisplayName("[SECURITY API keys] issue 21 on the local server: 100 parallel verifies naming a limit of 50 are "
            + "exactly 50 valid; the default limit is untouched by them")
    void parallelVerifiesWhenNamedLimitThenExactlyTheLimitValid() throws Exception {
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            String[] owner = owner(server);
            var created = send(server, "POST", "/v1/orgs/" + owner[1] + "/api-keys",
                    "{\"name\":\"llm\",\"permissions\":[],\"rate_limit\":{\"limit\":5,\"window_seconds\":3600},"
                            + "\"rate_limits\":[{\"name\":\"tokens\",\"limit\":50,\"window_seconds\":3600}]}",
                    owner[0]);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String key = json(created).path("key").asString();

            List<JsonNode> answers = parallelVerifiesOf(server,
                    "{\"key\":\"" + key + "\",\"rate_limit\":{\"name\":\"tokens\"}}", 100);

            assertThat(count(answers, "VALID")).isEqualTo(50);
            assertThat(count(answers, "RATE_LIMITED")).isEqualTo(50);
            assertThat(count(parallelVerifies(server, key, 10), "VALID")).as("the default limit: 5 of 10")
                    .isEqualTo(5);
        }
    }

    @Test
    @DisplayName("[SECURITY API keys] issue 21 on the local server: a key with credits and its own limits (one "
            + "conditional write for both): 100 parallel verifies under a limit of 50 are exactly 50 valid, 40 naming "
            + "a limit of 20 exactly 20, and exactly the valid ones spent a credit")
    void parallelVerifiesWhenCreditsAndOwnLimitsThenExactlyTheLimitValidAndSpent() throws Exception {
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            String[] owner = owner(server);
            var created = send(server, "POST", "/v1/orgs/" + owner[1] + "/api-keys",
                    "{\"name\":\"metered llm\",\"permissions\":[],\"credits\":{\"remaining\":1000},"
                            + "\"rate_limit\":{\"limit\":50,\"window_seconds\":3600},"
                            + "\"rate_limits\":[{\"name\":\"tokens\",\"limit\":20,\"window_seconds\":3600}]}",
                    owner[0]);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String key = json(created).path("key").asString();
            String keyId = json(created).path("id").asString();

            List<JsonNode> byDefault = parallelVerifies(server, key, 100);
            List<JsonNode> byTokens = parallelVerifiesOf(server,
                    "{\"key\":\"" + key + "\",\"rate_limit\":{\"name\":\"tokens\"}}", 40);

            assertThat(count(byDefault, "VALID")).isEqualTo(50);
            assertThat(count(byDefault, "RATE_LIMITED")).isEqualTo(50);
            assertThat(count(byTokens, "VALID")).isEqualTo(20);
            assertThat(count(byTokens, "RATE_LIMITED")).isEqualTo(20);
            var shown = send(server, "GET", "/v1/orgs/" + owner[1] + "/api-keys/" + keyId, null, owner[0]);
            assertThat(json(shown).path("credits").path("remaining").asLong()).as("a refused verify spends nothing")
                    .isEqualTo(1000 - 70);
        }
    }

    @Test
    @DisplayName("[SECURITY API keys] issue 21 on the local server: 200 parallel verifies against 50 credits are "
            + "exactly 50 valid and 150 USAGE_EXCEEDED; 10 credits added are exactly 10 more")
    void parallelVerifiesWhenFewCreditsThenExactlyThatManyValid() throws Exception {
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            String[] owner = owner(server);
            String access = owner[0];
            String org = owner[1];
            var created = send(server, "POST", "/v1/orgs/" + org + "/api-keys",
                    "{\"name\":\"metered\",\"permissions\":[],\"credits\":{\"remaining\":50}}", access);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String keyId = json(created).path("id").asString();
            String key = json(created).path("key").asString();

            List<JsonNode> answers = parallelVerifies(server, key, 200);

            assertThat(count(answers, "VALID")).isEqualTo(50);
            assertThat(count(answers, "USAGE_EXCEEDED")).isEqualTo(150);
            assertThat(answers.stream().filter(a -> a.path("valid").asBoolean())
                    .map(a -> a.path("credits_remaining").asLong()).distinct().count())
                    .as("every valid verify saw its own remaining count").isEqualTo(50);
            var shown = send(server, "GET", "/v1/orgs/" + org + "/api-keys/" + keyId, null, access);
            assertThat(json(shown).path("credits").path("remaining").asLong()).isZero();

            var added = send(server, "POST", "/v1/orgs/" + org + "/api-keys/" + keyId + "/credits",
                    "{\"operation\":\"add\",\"amount\":10}", access);
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            List<JsonNode> again = parallelVerifies(server, key, 40);
            assertThat(count(again, "VALID")).isEqualTo(10);
            assertThat(count(again, "USAGE_EXCEEDED")).isEqualTo(30);
        }
    }

    @Test
    @DisplayName("issue 21 §5 on the local server: parallel verifies of a metered key are counted by outcome on the "
            + "analytics routes the demo page's sparkline reads; counts pending at shutdown are flushed, not lost")
    void analyticsWhenVerifiedOverHttpThenTheDemoSparklineRouteCountsThem() throws Exception {
        String[] owner;
        String keyId;
        String key;
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            owner = owner(server);
            var created = send(server, "POST", "/v1/orgs/" + owner[1] + "/api-keys",
                    "{\"name\":\"metered\",\"permissions\":[],\"credits\":{\"remaining\":30}}", owner[0]);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            keyId = json(created).path("id").asString();
            key = json(created).path("key").asString();

            List<JsonNode> answers = parallelVerifies(server, key, 40);
            var perKey = send(server, "GET", "/v1/orgs/" + owner[1] + "/api-keys/" + keyId + "/analytics", null,
                    owner[0]);
            var exceeded = send(server, "GET", "/v1/orgs/" + owner[1] + "/api-keys/analytics?outcome=usage_exceeded",
                    null, owner[0]);

            assertThat(count(answers, "VALID")).isEqualTo(30);
            assertThat(perKey.statusCode()).as(perKey.body()).isEqualTo(200);
            JsonNode today = json(perKey).path("days").get(json(perKey).path("days").size() - 1);
            assertThat(today.path("valid").asLong()).isEqualTo(30);
            assertThat(today.path("usage_exceeded").asLong()).isEqualTo(10);
            assertThat(json(exceeded).path("totals").path("total").asLong()).isEqualTo(10);
            var page = send(server, "GET", "/", null, null);
            var script = send(server, "GET", "/demo.js", null, null);
            assertThat(page.body()).contains("id=\"verification-sparkline\"");
            assertThat(script.body()).contains("/api-keys/analytics", "polyline");

            assertThat(count(parallelVerifies(server, key, 5), "USAGE_EXCEEDED")).isEqualTo(5);
        }
        try (LocalServer again = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            var login = send(again, "POST", "/v1/auth/login/password",
                    "{\"email\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
            var totals = send(again, "GET", "/v1/orgs/" + owner[1] + "/api-keys/" + keyId + "/analytics", null,
                    json(login).path("access_token").asString());
            assertThat(json(totals).path("totals").path("usage_exceeded").asLong())
                    .as("the 5 verifies after the last read were flushed when the first server stopped").isEqualTo(15);
        }
    }

    @Test
    @DisplayName("[SECURITY API keys] issue 21 §3-4 on the local server: a key's allow-list holds for verify's ip and "
            + "for the caller's own address; verify answers external_id and meta; PATCH moves the external id (the "
            + "list follows) and a new allow-list counts on the next request")
    void ownerDataAndUpdateWhenOverHttpThenAllowListExternalIdAndMetaFollow() throws Exception {
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            String[] owner = owner(server);
            String base = "/v1/orgs/" + owner[1] + "/api-keys";
            var created = send(server, "POST", base, "{\"name\":\"tenant\",\"permissions\":[\"api_key:read\"],"
                    + "\"allowed_ips\":[\"127.0.0.0/8\"],\"external_id\":\"tenant_a\",\"meta\":{\"plan\":\"pro\"}}",
                    owner[0]);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String keyId = json(created).path("id").asString();
            String key = json(created).path("key").asString();

            JsonNode inside = json(send(server, "POST", "/v1/api-keys/verify",
                    "{\"key\":\"" + key + "\",\"ip\":\"127.0.0.9\"}", null));
            JsonNode outside = json(send(server, "POST", "/v1/api-keys/verify",
                    "{\"key\":\"" + key + "\",\"ip\":\"203.0.113.9\"}", null));
            assertThat(inside.path("valid").asBoolean()).isTrue();
            assertThat(inside.path("external_id").asString()).isEqualTo("tenant_a");
            assertThat(inside.path("meta").path("plan").asString()).isEqualTo("pro");
            assertThat(outside.path("code").asString()).isEqualTo("IP_NOT_ALLOWED");
            assertThat(send(server, "GET", base + "/" + keyId, null, key).statusCode())
                    .as("the key presented from 127.0.0.1, inside its list").isEqualTo(200);

            var moved = send(server, "PATCH", base + "/" + keyId,
                    "{\"external_id\":\"tenant_b\",\"allowed_ips\":[\"203.0.113.0/24\"]}", owner[0]);
            assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
            assertThat(json(send(server, "GET", base + "?external_id=tenant_a", null, owner[0])).path("api_keys")
                    .size()).isZero();
            assertThat(json(send(server, "GET", base + "?external_id=tenant_b", null, owner[0])).path("api_keys")
                    .get(0).path("id").asString()).isEqualTo(keyId);
            assertThat(send(server, "GET", base + "/" + keyId, null, key).statusCode())
                    .as("now outside its list: refused, never saying why").isEqualTo(401);
            assertThat(json(send(server, "POST", "/v1/api-keys/verify",
                    "{\"key\":\"" + key + "\",\"ip\":\"203.0.113.9\"}", null)).path("valid").asBoolean()).isTrue();
        }
    }
}
