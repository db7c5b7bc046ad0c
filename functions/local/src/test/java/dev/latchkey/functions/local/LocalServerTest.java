package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.config.ConfigException;
import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.dynamodb.emulator.Dynoxide;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class LocalServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    private Map<String, String> environment() {
        return Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString());
    }

    @Test
    void startServesReadyWithMasterKeyFileOwnerOnlyAndIssuerDefaultingToItsUrl() throws Exception {
        try (LocalServer server = LocalServer.start(environment())) {
            assertThat(server.url().toString()).startsWith("http://localhost:");
            var ready = get(server, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.headers().firstValue("apigw-requestid")).isPresent();
            assertThat(Json.mapper().readTree(ready.body()).path("status").asString()).isEqualTo("up");
            Path key = dataDir.resolve("master.key");
            assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(dataDir.resolve("dynamodb.sqlite")).exists();
        }
    }

    @Test
    void restartKeepsTableDataAndMasterKey() throws Exception {
        String masterKey;
        try (LocalServer server = LocalServer.start(environment())) {
            masterKey = Files.readString(dataDir.resolve("master.key"));
            try (DynamoDbClient client = client(server.dynoxide())) {
                client.putItem(b -> b.tableName("latchkey").item(Map.of(
                        "pk", AttributeValue.fromS("USER#usr_1"), "sk", AttributeValue.fromS("PROFILE"),
                        "name", AttributeValue.fromS("Ada"))));
            }
        }
        try (LocalServer server = LocalServer.start(environment())) {
            assertThat(Files.readString(dataDir.resolve("master.key"))).isEqualTo(masterKey);
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
            try (DynamoDbClient client = client(server.dynoxide())) {
                var item = client.getItem(b -> b.tableName("latchkey").consistentRead(true).key(Map.of(
                        "pk", AttributeValue.fromS("USER#usr_1"), "sk", AttributeValue.fromS("PROFILE"))));
                assertThat(item.item().get("name").s()).isEqualTo("Ada");
            }
        }
    }

    /** [16.5.3] the store behind the local server stops: 503, standard body; it comes back: 200. */
    @Test
    void readyWhenEmulatorStopsThenServiceUnavailableAndRecovers() throws Exception {
        try (LocalServer server = LocalServer.start(environment())) {
            server.dynoxide().stop();
            var down = get(server, "/health/ready");
            assertThat(down.statusCode()).isEqualTo(503);
            var error = Json.mapper().readTree(down.body()).path("error");
            assertThat(error.path("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(down.body()).doesNotContain("Exception");
            server.dynoxide().restart();
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void bodiesOverTheLimitAnswer413InTheStandardBody() throws Exception {
        try (LocalServer server = LocalServer.start(environment())) {
            var response = HTTP.send(HttpRequest.newBuilder(server.url().resolve("/health/ready"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[64 * 1024 + 1])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(Json.mapper().readTree(response.body()).path("error").path("code").asString())
                    .isEqualTo("PAYLOAD_TOO_LARGE");
        }
    }

    /** The demo page is served at / and /demo.js; other methods and paths still reach $default. */
    @Test
    void demoPageIsServedAtRootAndEverythingElseStillReachesTheFunctions() throws Exception {
        try (LocalServer server = LocalServer.start(environment())) {
            var page = get(server, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("content-security-policy")).get().asString()
                    .contains("script-src 'self'").contains("frame-ancestors 'none'");
            assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
            assertThat(page.body()).contains("<script type=\"module\" src=\"/demo.js\"></script>")
                    .contains("id=\"passkey-login-button\"");
            var script = get(server, "/demo.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
            assertThat(script.body()).contains("/v1/auth/passkeys/login/options").doesNotContain("localStorage.");

            var post = HTTP.send(HttpRequest.newBuilder(server.url().resolve("/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(404);
            assertThat(Json.mapper().readTree(post.body()).path("error").path("code").asString())
                    .isEqualTo("NOT_FOUND");
            assertThat(get(server, "/index.html").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void badConfigurationFailsFastNamingTheVariable() {
        assertThatThrownBy(() -> LocalServer.start(Map.of("LATCHKEY_PORT", "70000",
                "LATCHKEY_DATA_DIR", dataDir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LATCHKEY_PORT");
    }

    /** The packaged command: prints where it listens, serves, and stops cleanly on SIGTERM. */
    @Test
    void processPrintsItsUrlServesAndStopsOnSigterm() throws Exception {
        int port = Dynoxide.freePort();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classpath, "dev.latchkey.functions.local.LocalServer"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LATCHKEY_PORT", Integer.toString(port));
        builder.environment().put("LATCHKEY_DATA_DIR", dataDir.toString());
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            String listening = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("Latchkey listening on ")) {
                    listening = line;
                    break;
                }
            }
            assertThat(listening).contains("http://localhost:" + port);
            var ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            var children = process.descendants().toList();
            assertThat(children).as("the emulator runs as a child").isNotEmpty();
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("emulator stopped with the server").isFalse();
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private static HttpResponse<String> get(LocalServer server, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(server.url().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static DynamoDbClient client(Dynoxide dynoxide) {
        return DynamoDbClient.builder().endpointOverride(dynoxide.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
