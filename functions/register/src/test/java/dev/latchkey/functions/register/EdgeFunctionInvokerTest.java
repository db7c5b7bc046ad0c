package dev.latchkey.functions.register;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 19 item 11 through the real Lambda entry point with {@code LATCHKEY_EDGE_ORIGIN_SECRET} set: a request
 * without CloudFront's secret origin header, or with a wrong one, is refused with the standard error body before any
 * route runs; with it, the client address the audit records is CloudFront's viewer address, not {@code sourceIp}.
 */
class EdgeFunctionInvokerTest {

    private static final String VARIABLE = "LATCHKEY_EDGE_ORIGIN_SECRET";
    private static final String SECRET = "9d1c7a4e2b8f6031c5e7a9b2d4f6081a3c5e7b9d1f2a4c6e";
    private static final String PASSWORD = "Marmalade-Comet-Lantern-93";
    /** A CloudFront edge address: what API Gateway reports as sourceIp behind the edge. */
    private static final String EDGE_IP = "130.176.0.10";

    @TempDir
    static Path dataDir;

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static DynamoDbAuditLog auditLog;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        Map<String, String> variables = new HashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", dataDir.toString());
        variables.put("LATCHKEY_ISSUER", "https://id.example.com");
        variables.put(VARIABLE, SECRET);
        lambda = LambdaHarness.start(RegisterApplication.class.getName(), RegisterApplication.FUNCTION, variables);
        auditLog = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        System.clearProperty(VARIABLE); // the next function test in this JVM runs without the edge again
        table.close();
    }

    /** The register-created event for this address, with these extra headers, from a CloudFront edge address. */
    private static String register(String email, Map<String, String> headers) {
        try {
            Path file = Events.of("register").stream()
                    .filter(p -> p.getFileName().toString().equals("register-created.json")).findFirst().orElseThrow();
            ObjectNode event = (ObjectNode) Json.mapper().readTree(Files.readString(file));
            String json = new String(Json.write(Map.of("email", email, "password", PASSWORD, "name", "Ada Edge")),
                    StandardCharsets.UTF_8);
            event.put("body", json);
            ObjectNode eventHeaders = (ObjectNode) event.path("headers");
            eventHeaders.put("content-length", Integer.toString(json.getBytes(StandardCharsets.UTF_8).length));
            headers.forEach(eventHeaders::put);
            ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp", EDGE_IP);
            return event.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("[19.11] edge on, no origin secret header (the origin called directly) → 403 standard body")
    void registerWhenEdgeSecretMissingThenForbiddenWithStandardBody() {
        var response = lambda.invoke(register("edge.missing@example.com",
                Map.of("cloudfront-viewer-address", "203.0.113.7:50000")));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("PERMISSION_DENIED");
        assertThat(response.bodyJson().path("error").path("details").path("reason").asString())
                .isEqualTo("EDGE_REQUIRED");
        assertThat(response.bodyJson().path("error").path("request_id").asString()).isNotEmpty();
        assertThat(response.body()).doesNotContainIgnoringCase("secret").doesNotContain(SECRET);
    }

    @Test
    @DisplayName("[19.11] edge on, a wrong origin secret → 403, and nothing is created")
    void registerWhenEdgeSecretWrongThenForbiddenAndNoAccount() {
        String wrong = SECRET.substring(0, SECRET.length() - 1) + "0";

        var response = lambda.invoke(register("edge.wrong@example.com", Map.of("x-latchkey-edge-secret", wrong,
                "cloudfront-viewer-address", "203.0.113.8:50000")));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyJson().path("error").path("details").path("reason").asString())
                .isEqualTo("EDGE_REQUIRED");
        assertThat(response.body()).doesNotContain(wrong).doesNotContain(SECRET);
        var again = lambda.invoke(register("edge.wrong@example.com", Map.of("x-latchkey-edge-secret", SECRET,
                "cloudfront-viewer-address", "203.0.113.8:50000")));
        assertThat(again.status()).as("the refused request created no account").isEqualTo(201);
    }

    @Test
    @DisplayName("[19.11] edge on, right secret + CloudFront-Viewer-Address (IPv6) → 201; the audit has the viewer")
    void registerWhenEdgeSecretRightThenAuditSeesViewerAddressNotSourceIp() {
        var created = lambda.invoke(register("edge.viewer@example.com", Map.of("x-latchkey-edge-secret", SECRET,
                "cloudfront-viewer-address", "2001:db8::7:443")));

        assertThat(created.status()).isEqualTo(201);
        String orgId = created.bodyJson().path("organization").path("id").asString();
        List<AuditEvent> events = auditLog.find(orgId, AuditQuery.latest()).events();
        assertThat(events).extracting(AuditEvent::action).contains("account.registered");
        assertThat(events).allSatisfy(e -> assertThat(e.sourceIp()).contains("2001:db8::7"));
    }

    @Test
    @DisplayName("[19.11] edge on, the right secret but no viewer address → 403: sourceIp (CloudFront's) is never used")
    void registerWhenEdgeViewerAddressMissingThenForbidden() {
        var response = lambda.invoke(register("edge.noviewer@example.com", Map.of("x-latchkey-edge-secret", SECRET)));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyJson().path("error").path("details").path("reason").asString())
                .isEqualTo("EDGE_REQUIRED");
    }
}
