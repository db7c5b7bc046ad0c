package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.ApiCatalog;
import dev.latchkey.core.json.Json;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps local and cloud from drifting: every {@code events/**.json} goes through the Lambda entry
 * point ({@code FunctionInvoker}) and, as the HTTP request it describes, through the local server;
 * status, the function's headers and the body (request ids aside) must be equal.
 */
class LambdaLocalParityTest {

    /** Headers API Gateway or the local HTTP server add, not the function. */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("date", "content-length", "apigw-requestid",
            "connection", "transfer-encoding");
    /** Headers the HTTP client sets itself. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "x-forwarded-for", "x-forwarded-port", "x-forwarded-proto");

    @TempDir
    static Path dataDir;

    private static LocalServer local;
    private static EmulatedTable table;
    private static final Map<String, LambdaHarness> LAMBDAS = new java.util.HashMap<>();

    @BeforeAll
    static void start() {
        local = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString()));
        table = EmulatedTable.start();
    }

    @AfterAll
    static void stop() {
        local.close();
        table.close();
    }

    @Test
    void everyEventAnswersTheSameThroughLambdaAndTheLocalServer() throws Exception {
        var events = Events.all();
        assertThat(events).isNotEmpty();
        for (Path file : events) {
            String function = file.getParent().getFileName().toString();
            String json = Files.readString(file);
            JsonNode event = Json.mapper().readTree(json);
            var lambda = lambda(function).invoke(json);
            var http = send(event);
            String name = file.toString();
            assertThat(http.statusCode()).as(name).isEqualTo(lambda.status());
            lambda.json().path("headers").properties().forEach(header -> {
                if (!TRANSPORT_HEADERS.contains(header.getKey())) {
                    assertThat(http.headers().firstValue(header.getKey())).as(name + " header " + header.getKey())
                            .hasValue(header.getValue().asString());
                }
            });
            assertThat(withoutRequestIds(new String(http.body(), StandardCharsets.UTF_8)))
                    .as(name + " body").isEqualTo(withoutRequestIds(lambda.body()));
        }
    }

    private static LambdaHarness lambda(String functionFolder) {
        var spec = ApiCatalog.functions().stream().filter(f -> f.module().equals(functionFolder)).findFirst()
                .orElseThrow(() -> new AssertionError("events/" + functionFolder + " names no function module"));
        return LAMBDAS.computeIfAbsent(spec.name(),
                n -> LambdaHarness.start(spec.mainClass(), spec.name(), LambdaHarness.localVariables(table)));
    }

    private static HttpResponse<byte[]> send(JsonNode event) throws Exception {
        String query = event.path("rawQueryString").asString("");
        var uri = local.url().resolve(event.path("rawPath").asString() + (query.isEmpty() ? "" : "?" + query));
        byte[] body = new byte[0];
        if (event.hasNonNull("body")) {
            body = event.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(event.path("body").asString())
                    : event.path("body").asString().getBytes(StandardCharsets.UTF_8);
        }
        var request = HttpRequest.newBuilder(uri).method(event.path("requestContext").path("http").path("method")
                .asString(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        event.path("headers").properties().forEach(h -> {
            if (!RESTRICTED.contains(h.getKey())) {
                request.header(h.getKey(), h.getValue().asString());
            }
        });
        if (event.path("cookies").isArray() && !event.path("cookies").isEmpty()) {
            request.header("cookie", String.join("; ", event.path("cookies").valueStream().map(JsonNode::asString)
                    .toList()));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String withoutRequestIds(String body) {
        if (body.isEmpty()) {
            return body;
        }
        JsonNode tree = Json.mapper().readTree(body);
        if (tree.path("error") instanceof ObjectNode error) {
            error.remove("request_id");
        }
        return tree.toString();
    }
}
