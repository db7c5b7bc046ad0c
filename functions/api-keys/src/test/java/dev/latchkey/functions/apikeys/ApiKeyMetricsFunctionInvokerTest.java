package dev.latchkey.functions.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.metrics.EmfMetrics;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.HttpEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17 item 1: the metrics a function writes in Lambda are CloudWatch Embedded Metric Format lines. Requests go
 * through the real entry point ({@code FunctionInvoker}); every line the {@code latchkey.metrics} logger receives is
 * parsed as EMF (the {@code _aws} directive, each dimension set's values and each metric's value at the root) and
 * none names the key, the user, the organization or the client address.
 */
class ApiKeyMetricsFunctionInvokerTest {

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(ApiKeysApplication.class.getName(), ApiKeysApplication.FUNCTION, dataDir);
        Logger logger = (Logger) LoggerFactory.getLogger(EmfMetrics.LOGGER);
        LINES.start();
        logger.addAppender(LINES);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(EmfMetrics.LOGGER)).detachAppender(LINES);
        function.close();
    }

    @Test
    void verifyWhenCalledThroughFunctionInvokerThenEmfLinesCountRequestsAndResults() {
        Accounts accounts = function.accounts();
        Accounts.Person owner = accounts.person("emf-owner");
        String key = accounts.apiKey(owner.personalOrganizationId(), List.of("api_key:read"));
        LINES.list.clear();

        assertThat(function.invoke("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key)).status())
                .isEqualTo(200);
        assertThat(function.invoke("POST", "/v1/api-keys/verify", "", Map.of(),
                Map.of("key", "lk_unknownkeyvalue_0000000000000000000000")).status()).isEqualTo(200);
        assertThat(function.invoke("GET", "/v1/orgs/" + owner.personalOrganizationId() + "/api-keys", "",
                Map.of(), null).status()).isEqualTo(401);

        List<JsonNode> lines = new ArrayList<>();
        for (ILoggingEvent event : LINES.list) {
            String text = event.getFormattedMessage();
            assertThat(text).doesNotContain(key).doesNotContain(owner.userId())
                    .doesNotContain(owner.personalOrganizationId()).doesNotContain(HttpEvents.SOURCE_IP)
                    .doesNotContain(Accounts.email("emf-owner"));
            JsonNode line = Json.mapper().readTree(text);
            assertEmf(line);
            lines.add(line);
        }
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("Route").asString()).isEqualTo("POST /v1/api-keys/verify");
            assertThat(line.path("StatusClass").asString()).isEqualTo("2xx");
            assertThat(line.path("Function").asString()).isEqualTo(ApiKeysApplication.FUNCTION);
            assertThat(line.path("Requests").asDouble()).isEqualTo(1.0);
            assertThat(line.path("Latency").asDouble()).isPositive();
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("Route").asString()).isEqualTo("GET /v1/orgs/{orgId}/api-keys");
            assertThat(line.path("StatusClass").asString()).isEqualTo("4xx");
        });
        assertThat(lines.stream().filter(line -> line.has("ApiKeyVerifications"))
                .map(line -> line.path("Result").asString()).toList()).containsExactlyInAnyOrder("valid",
                        "not_found");
    }

    /** One EMF document: a directive whose every dimension and metric has its value at the root. */
    private static void assertEmf(JsonNode line) {
        JsonNode aws = line.path("_aws");
        assertThat(aws.path("Timestamp").isIntegralNumber()).as(line.toString()).isTrue();
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertThat(directives.isArray() && directives.size() == 1).as(line.toString()).isTrue();
        JsonNode directive = directives.get(0);
        assertThat(directive.path("Namespace").asString()).isEqualTo("Latchkey");
        assertThat(directive.path("Dimensions").isArray()).isTrue();
        for (JsonNode set : directive.path("Dimensions")) {
            assertThat(set.size()).isLessThanOrEqualTo(30);
            for (JsonNode name : set) {
                assertThat(line.path(name.asString()).isString()).as(name.asString()).isTrue();
            }
        }
        assertThat(directive.path("Metrics").size()).isPositive();
        for (JsonNode metric : directive.path("Metrics")) {
            assertThat(metric.path("Unit").asString()).isIn("Count", "Milliseconds");
            assertThat(line.path(metric.path("Name").asString()).isNumber()).as(metric.toString()).isTrue();
        }
    }
}
