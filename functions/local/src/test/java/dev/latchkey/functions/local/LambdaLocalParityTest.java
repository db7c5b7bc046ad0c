package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
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
 * Keeps local and cloud from drifting: every HTTP function's {@code events/**.json} goes through
 * the Lambda entry point ({@code FunctionInvoker}) and, as the HTTP request it describes, through
 * the local server, each on its own fresh store with a key ring; the status and the function's
 * headers must be equal, error bodies equal (request ids aside), and other bodies equal in shape —
 * the same fields with the same JSON types — since ids, keys and times are generated per store.
 */
class LambdaLocalParityTest {

    /** Headers API Gateway or the local HTTP server add, not the function. */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("date", "content-length", "apigw-requestid",
            "connection", "transfer-encoding");
    /** Function headers whose value depends on the store's generated data: present on both, any value. */
    private static final Set<String> PER_STORE_HEADERS = Set.of("etag");
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
        local = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString(),
                "LATCHKEY_ISSUER", LambdaHarness.ISSUER));
        table = EmulatedTable.start();
        // The local server rotates at start-up; the Lambda side's table gets its ring the same way.
        new RotateSigningKeys(new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE),
                LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, new SecureRandom()), KeyPolicy.defaults(),
                new InMemoryAuditLog(Clock.systemUTC()), new SortableIdGenerator(Clock.systemUTC(), new SecureRandom()),
                Clock.systemUTC(), new SecureRandom()).run("parity");
    }

    @AfterAll
    static void stop() {
        local.close();
        table.close();
    }

    @Test
    void everyEventAnswersTheSameThroughLambdaAndTheLocalServer() throws Exception {
        var events = Events.http();
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
                if (PER_STORE_HEADERS.contains(header.getKey())) {
                    assertThat(http.headers().firstValue(header.getKey())).as(name + " header " + header.getKey())
                            .isPresent();
                } else if (!TRANSPORT_HEADERS.contains(header.getKey())) {
                    assertThat(http.headers().firstValue(header.getKey()).map(LambdaLocalParityTest::withoutNonces))
                            .as(name + " header " + header.getKey())
                            .hasValue(withoutNonces(header.getValue().asString()));
                }
            });
            String localBody = new String(http.body(), StandardCharsets.UTF_8);
            String type = lambda.header("content-type");
            if (type != null && type.startsWith("text/")) {
                // The hosted pages and their script (signin): the same text but for the per-response CSP nonce.
                assertThat(withoutNonces(localBody)).as(name + " body").isEqualTo(withoutNonces(lambda.body()));
            } else if (lambda.status() >= 400) {
                assertThat(withoutRequestIds(localBody)).as(name + " body").isEqualTo(withoutRequestIds(lambda.body()));
            } else {
                assertThat(shape(localBody)).as(name + " body shape").isEqualTo(shape(lambda.body()));
            }
        }
    }

    /** A hosted page's CSP nonce (header and style tag) is random per response. */
    private static String withoutNonces(String text) {
        return text.replaceAll("nonce-[A-Za-z0-9_-]+", "nonce-N").replaceAll("nonce=\"[A-Za-z0-9_-]+\"", "nonce=\"N\"");
    }

    private static ApiCatalog.FunctionSpec spec(String functionFolder) {
        return ApiCatalog.functions().stream().filter(f -> f.module().equals(functionFolder)).findFirst()
                .orElseThrow(() -> new AssertionError("events/" + functionFolder + " names no function module"));
    }

    /** The JSON structure with every scalar replaced by its type; array lengths kept. */
    private static String shape(String body) {
        return body.isEmpty() ? "" : shape(Json.mapper().readTree(body)).toString();
    }

    private static JsonNode shape(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = Json.mapper().createObjectNode();
            object.properties().forEach(e -> copy.set(e.getKey(), shape(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = Json.mapper().createArrayNode();
            node.forEach(element -> copy.add(shape(element)));
            return copy;
        }
        return Json.mapper().getNodeFactory().textNode(node.getNodeType().name());
    }

    private static LambdaHarness lambda(String functionFolder) {
        var spec = spec(functionFolder);
        return LAMBDAS.computeIfAbsent(spec.name(), n -> {
            var variables = new java.util.HashMap<>(LambdaHarness.localVariables(table));
            variables.put("LATCHKEY_DATA_DIR", dataDir.resolve("lambda").toString());
            return LambdaHarness.start(spec.mainClass(), spec.name(), variables);
        });
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
