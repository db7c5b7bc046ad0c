package dev.latchkey.functions.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every {@code events/health/*.json} through the real Lambda entry point ({@code FunctionInvoker},
 * {@code MAIN_CLASS} and the function definition set as in template.yaml) against an emulated
 * table.
 */
class HealthFunctionInvokerTest {

    private static final Map<String, Integer> EXPECTED_STATUS = Map.of(
            "health.json", 200,
            "live.json", 200,
            "ready.json", 200,
            "not-found.json", 404,
            "method-not-allowed.json", 405);

    private static EmulatedTable table;
    private static LambdaHarness lambda;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        var spec = ApiCatalog.function(HealthApplication.FUNCTION);
        lambda = LambdaHarness.start(spec.mainClass(), spec.name(), LambdaHarness.localVariables(table));
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void everyHealthEventAnswersItsDocumentedStatusThroughFunctionInvoker() throws IOException {
        var events = Events.of("health");
        assertThat(events).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(EXPECTED_STATUS.keySet());
        for (Path event : events) {
            var response = lambda.invoke(Files.readString(event));
            assertThat(response.status()).as(event.getFileName().toString())
                    .isEqualTo(EXPECTED_STATUS.get(event.getFileName().toString()));
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(response.header("cache-control")).isEqualTo("no-store");
            assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
            assertThat(response.json().path("headers").propertyNames())
                    .as("no Spring message header leaks into the HTTP response")
                    .doesNotContain("id", "timestamp", "contentType", "content-length", "aws-context");
            assertThat(response.json().path("isBase64Encoded").asBoolean()).isFalse();
        }
    }

    @Test
    void healthReportsVersionAndEveryCheck() throws IOException {
        var body = lambda.invoke(Files.readString(event("health.json"))).bodyJson();
        assertThat(body.path("status").asString()).isEqualTo("up");
        assertThat(body.path("version").asString()).isNotBlank();
        assertThat(body.path("checks").path("dynamodb").asString()).isEqualTo("up");
        assertThat(body.path("checks").path("key_vault").asString()).isEqualTo("up");
        assertThat(body.path("latency_ms").has("dynamodb")).isTrue();
        assertThat(body.path("table").asString()).isNotBlank();
        assertThat(body.path("key_ring").path("status").asString()).isEqualTo("up");
        assertThat(body.path("key_ring").has("keys")).isTrue();
    }

    @Test
    void unknownRouteAndWrongMethodAnswerTheStandardErrorBody() throws IOException {
        var notFound = lambda.invoke(Files.readString(event("not-found.json"))).bodyJson();
        assertThat(notFound.path("error").path("code").asString()).isEqualTo("NOT_FOUND");
        assertThat(notFound.path("error").path("request_id").asString()).isNotBlank();
        var wrongMethod = lambda.invoke(Files.readString(event("method-not-allowed.json")));
        assertThat(wrongMethod.bodyJson().path("error").path("code").asString()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(wrongMethod.header("allow")).isEqualTo("GET");
    }

    /** [16.5.3] the store down: 503 in the standard error body, no stack trace; back up: 200 again. */
    @Test
    void readyWhenTableStopsThenServiceUnavailableAndRecoversWhenItIsBack() throws IOException {
        String ready = Files.readString(event("ready.json"));
        assertThat(lambda.invoke(ready).status()).isEqualTo(200);
        table.dynoxide().stop();
        try {
            var down = lambda.invoke(ready);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.header("retry-after")).isEqualTo("5");
            var error = down.bodyJson().path("error");
            assertThat(error.path("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(error.path("details").path("checks").path("dynamodb").asString()).isEqualTo("down");
            assertThat(error.path("details").path("checks").path("key_vault").asString()).isEqualTo("up");
            assertThat(down.body()).doesNotContain("Exception", "at dev.", "at software.");
            var health = lambda.invoke(Files.readString(event("health.json")));
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.bodyJson().path("status").asString()).isEqualTo("down");
        } finally {
            table.dynoxide().restart();
        }
        // The in-memory emulator came back empty: the table is gone until created again.
        dev.latchkey.infrastructure.dynamodb.LatchkeyTable.ensureExists(table.client(), EmulatedTable.TABLE);
        assertThat(lambda.invoke(ready).status()).isEqualTo(200);
    }

    /** No credential reaches a log line, and a routing header cannot pick another function. */
    @Test
    void credentialsInEventAreNeverLoggedAndRoutingHeadersAreIgnored() throws IOException {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        try {
            String event = Files.readString(event("ready.json")).replace("\"accept\":",
                    "\"authorization\": \"Bearer eyJsecret.token.value\",\n"
                            + "    \"x-api-key\": \"lk_secretkeyvalue\",\n"
                            + "    \"spring.cloud.function.definition\": \"functionRouter\",\n"
                            + "    \"spring.cloud.function.routing-expression\": "
                            + "\"T(java.lang.Runtime).getRuntime()\",\n"
                            + "    \"accept\":");
            assertThat(event).contains("eyJsecret");
            var response = lambda.invoke(event);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyJson().path("status").asString()).isEqualTo("up");
        } finally {
            root.detachAppender(appender);
        }
        assertThat(appender.list).as("the request line is written").anySatisfy(e ->
                assertThat(e.getFormattedMessage()).contains("\"route\":\"GET /health/ready\"", "\"status\":200"));
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage())
                .doesNotContain("eyJsecret", "lk_secretkeyvalue"));
    }

    private static Path event(String name) {
        return Events.of("health").stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow();
    }
}
