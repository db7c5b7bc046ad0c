package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 1, locally: the meters Lambda writes as EMF lines, scraped from the local server's
 * {@code GET /metrics} in Prometheus text format after real requests — requests and latency by route and status
 * class, a failed sign-in, the DynamoDB-free paths — and none of the request's identifiers in any label. The page
 * {@code GET /docs} is served with a strict Content-Security-Policy (no inline script or style).
 */
class MetricsEndpointTest {

    private static final String EMAIL = "ada.lovelace@example.com";

    @TempDir
    static Path dataDir;

    private static LocalServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).GET();
    }

    @Test
    void metricsWhenScrapedAfterRequestsThenPrometheusTextWithBoundedLabels() throws Exception {
        assertThat(send(get("/health/ready")).statusCode()).isEqualTo(200);
        assertThat(send(get("/v1/users/usr_01JD3ZK8W6Q4V8S2M9N7T5R3P1/nothing")).statusCode()).isEqualTo(404);
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/auth/login/password"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + EMAIL
                        + "\",\"password\":\"Wrong-Horse-Battery-91\"}")));
        assertThat(login.statusCode()).isEqualTo(401);

        HttpResponse<String> scrape = send(get("/metrics"));

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/plain"));
        String text = scrape.body();
        assertThat(text).contains("# TYPE latchkey_requests_total counter")
                .containsPattern("latchkey_requests_total\\{function=\"health\",route=\"GET /health/ready\","
                        + "status_class=\"2xx\"} 1\\.0")
                .containsPattern("latchkey_requests_total\\{function=\"health\",route=\"\\$default\","
                        + "status_class=\"4xx\"} 1\\.0")
                .containsPattern("latchkey_requests_total\\{function=\"login\",route=\"POST /v1/auth/login/password\","
                        + "status_class=\"4xx\"} 1\\.0")
                .containsPattern("latchkey_logins_total\\{function=\"login\",method=\"password\",outcome=\"failed\"}"
                        + " 1\\.0")
                .contains("latchkey_request_latency_seconds_bucket{function=\"login\"")
                .contains("latchkey_request_latency_seconds_count{function=\"health\"")
                // the start-up rotation created the first keys: a rotation outside any request
                .containsPattern("latchkey_key_rotations_total\\{function=\"rotate-keys\",outcome=\"changed\"} ")
                .doesNotContain(EMAIL).doesNotContain("usr_01JD3ZK8W6Q4V8S2M9N7T5R3P1").doesNotContain("127.0.0.1");
    }

    @Test
    void containerWhenPrometheusAskedForThenServesMetricsButNoDocs() throws Exception {
        try (LocalServer container = LocalServer.startContainer(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_BIND_ADDRESS", "127.0.0.1", "LATCHKEY_ISSUER", "http://localhost:1",
                "LATCHKEY_KEY_VAULT", "local", "LATCHKEY_MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "LATCHKEY_DYNAMODB_ENDPOINT", server.dynoxide().endpoint().toString(),
                "LATCHKEY_METRICS", "prometheus"))) {
            assertThat(send(HttpRequest.newBuilder(URI.create(container.url() + "/health/live")).GET()).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> scrape = send(HttpRequest.newBuilder(URI.create(container.url() + "/metrics")).GET());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).containsPattern("latchkey_requests_total\\{function=\"health\","
                    + "route=\"GET /health/live\",status_class=\"2xx\"} 1\\.0");
            assertThat(send(HttpRequest.newBuilder(URI.create(container.url() + "/docs")).GET()).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void docsPageWhenServedThenStrictContentSecurityPolicyAndBundledFiles() throws Exception {
        HttpResponse<String> page = send(get("/docs"));
        assertThat(page.statusCode()).isEqualTo(200);
        String policy = page.headers().firstValue("content-security-policy").orElseThrow();
        assertThat(policy).contains("script-src 'self'").contains("style-src 'self'").doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval").doesNotContain("http");
        assertThat(page.body()).contains("/docs/swagger-ui-bundle.js").doesNotContain("<script>")
                .doesNotContain("style=");
        assertThat(send(get("/docs/swagger-ui-bundle.js")).statusCode()).isEqualTo(200);
        assertThat(send(get("/docs/swagger-ui.css")).statusCode()).isEqualTo(200);
        HttpResponse<String> spec = send(get("/docs/openapi.yaml"));
        assertThat(spec.statusCode()).isEqualTo(200);
        assertThat(spec.body()).startsWith("openapi:");
        assertThat(send(get("/")).body()).contains("href=\"/docs\"");
    }
}
