package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.infrastructure.dynamodb.emulator.Dynoxide;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's entry point ({@link ContainerServer}) started as the image starts it — a plain JVM process with
 * only environment variables — against a DynamoDB endpoint (the emulator standing in for DynamoDB), with the probes
 * the Kubernetes Deployment uses, one API call, and a clean stop on SIGTERM.
 */
class ContainerServerProcessTest {

    private static EmulatedTable table;

    @BeforeAll
    static void startTable() {
        table = EmulatedTable.start();
    }

    @AfterAll
    static void stopTable() {
        table.close();
    }

    private static ProcessBuilder container(Map<String, String> variables) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ContainerServer.class.getName()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
        builder.environment().putAll(variables);
        return builder;
    }

    @Test
    void containerWhenStartedAsAProcessThenProbesAnswerTheApiServesAndSigtermStopsIt(@TempDir Path dir)
            throws Exception {
        int port = Dynoxide.freePort();
        Map<String, String> variables = new java.util.HashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_PORT", Integer.toString(port));
        variables.put("LATCHKEY_BIND_ADDRESS", "127.0.0.1");
        variables.put("LATCHKEY_DATA_DIR", dir.toString()); // the test's mail outbox (local vault), nothing else
        variables.put("LATCHKEY_ISSUER", "http://localhost:" + port);
        Process process = container(variables).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.contains("Latchkey container listening on port " + port));
            assertThat(line).as("the listening line").isNotNull();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + port);

            HttpResponse<String> live = http.send(HttpRequest.newBuilder(base.resolve("/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"dynamodb\":\"up\"", "\"key_vault\":\"up\"");
            HttpResponse<String> register = http.send(HttpRequest.newBuilder(base.resolve("/v1/auth/register"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"ada@example.com\","
                            + "\"password\":\"correct-horse-staple-92!\",\"name\":\"Ada\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(register.statusCode()).as(register.body()).isEqualTo(201);
            HttpResponse<String> demo = http.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(demo.statusCode()).as("no demo page in a container").isEqualTo(404);
            for (String path : List.of("/docs", "/metrics")) {
                HttpResponse<String> local = http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(local.statusCode()).as(path + ": local only, /metrics opt-in (LATCHKEY_METRICS=prometheus)")
                        .isEqualTo(404);
            }

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void containerWhenIssuerOrVaultMissingThenExitsTwoNamingTheVariables() throws Exception {
        Process process = container(Map.of("LATCHKEY_DYNAMODB_ENDPOINT", table.dynoxide().endpoint().toString(),
                "LATCHKEY_KEY_VAULT", "local")).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("LATCHKEY_ISSUER", "LATCHKEY_KEY_VAULT");
    }
}
