package dev.latchkey.infrastructure.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

class ApiGatewayFunctionTest {

    private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS = LambdaEventSerializers
            .serializerFor(APIGatewayV2HTTPEvent.class, ApiGatewayFunctionTest.class.getClassLoader());

    /** Values that must never reach the request log. */
    private static final List<String> SECRETS = List.of("secret-xyz", "secret-q", "secret-b", "secret-c",
            "secret-p", "Bearer");

    private final AtomicReference<String> seenBody = new AtomicReference<>();
    private final AtomicReference<String> seenId = new AtomicReference<>();
    private final Logger requestLog = (Logger) LoggerFactory.getLogger("latchkey.request");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level previousLevel;

    private ApiGatewayFunction function() {
        Router router = Router.builder()
                .route("POST /v1/things/{id}", request -> {
                    seenBody.set(new String(request.body(), StandardCharsets.UTF_8));
                    seenId.set(request.pathParameter("id"));
                    return new HttpResponse(201, Map.of("content-type", "application/json", "x-thing", "7"),
                            "{\"created\":true}".getBytes(StandardCharsets.UTF_8));
                })
                .route("GET /v1/boom", request -> {
                    throw new IllegalStateException("bug holding secret-b");
                })
                .build();
        return new ApiGatewayFunction("things", new HttpApplication(router, 64 * 1024));
    }

    private static APIGatewayV2HTTPEvent event(String method, String routeKey, String rawPath, String query) {
        return EVENTS.fromJson("""
                {
                  "version": "2.0",
                  "routeKey": "%s",
                  "rawPath": "%s",
                  "rawQueryString": "%s",
                  "cookies": ["sid=secret-c"],
                  "headers": {
                    "Authorization": "Bearer secret-xyz",
                    "content-type": "application/json",
                    "x-forwarded-for": "198.51.100.99"
                  },
                  "requestContext": {
                    "http": {"method": "%s", "path": "%s", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.10"},
                    "requestId": "req-42",
                    "routeKey": "%s",
                    "stage": "$default"
                  },
                  "body": "{\\"password\\":\\"secret-b\\"}",
                  "isBase64Encoded": false
                }
                """.formatted(routeKey, rawPath, query, method, rawPath, routeKey));
    }

    @BeforeEach
    void attachAppender() {
        previousLevel = requestLog.getLevel();
        requestLog.setLevel(Level.INFO);
        appender.start();
        requestLog.addAppender(appender);
    }

    @AfterEach
    void detachAppender() {
        requestLog.detachAppender(appender);
        appender.stop();
        requestLog.setLevel(previousLevel);
    }

    private JsonNode onlyLogLine() {
        assertThat(appender.list).hasSize(1);
        ILoggingEvent line = appender.list.get(0);
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        return Json.mapper().readTree(line.getFormattedMessage());
    }

    private void assertLogHoldsNoSecret() {
        assertThat(appender.list).isNotEmpty();
        for (ILoggingEvent line : appender.list) {
            assertThat(line.getFormattedMessage()).doesNotContainIgnoringCase("authorization")
                    .doesNotContain("token").doesNotContain("password");
            for (String secret : SECRETS) {
                assertThat(line.getFormattedMessage()).doesNotContain(secret);
                assertThat(line.getMDCPropertyMap().values()).noneMatch(v -> v.contains(secret));
                if (line.getArgumentArray() != null) {
                    assertThat(line.getArgumentArray()).noneMatch(a -> String.valueOf(a).contains(secret));
                }
            }
        }
    }

    @Test
    void applyWhenRouteMatchesThenEndpointStatusHeadersAndBody() {
        APIGatewayV2HTTPResponse response = function()
                .apply(event("POST", "POST /v1/things/{id}", "/v1/things/secret-p", "token=secret-q"));

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json")
                .containsEntry("x-thing", "7").containsEntry("cache-control", "no-store");
        assertThat(response.getBody()).isEqualTo("{\"created\":true}");
        assertThat(response.getIsBase64Encoded()).isFalse();
        assertThat(seenBody.get()).isEqualTo("{\"password\":\"secret-b\"}");
        assertThat(seenId.get()).isEqualTo("secret-p");
    }

    @Test
    void applyWhenCredentialsInRequestThenLogLineHasIdsAndNoSecrets() {
        function().apply(event("POST", "POST /v1/things/{id}", "/v1/things/secret-p", "token=secret-q&a=secret-q"));

        JsonNode line = onlyLogLine();
        assertThat(line.path("type").asString()).isEqualTo("request");
        assertThat(line.path("function").asString()).isEqualTo("things");
        assertThat(line.path("request_id").asString()).isEqualTo("req-42");
        assertThat(line.path("route").asString()).isEqualTo("POST /v1/things/{id}");
        assertThat(line.path("method").asString()).isEqualTo("POST");
        assertThat(line.path("status").asInt()).isEqualTo(201);
        assertThat(line.path("latency_ms").isNumber()).isTrue();
        assertThat(line.path("latency_ms").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertLogHoldsNoSecret();
    }

    @Test
    void applyWhenNoRouteMatchesThenErrorStatusLoggedWithoutSecrets() {
        APIGatewayV2HTTPResponse response = function()
                .apply(event("GET", "$default", "/v1/nowhere", "token=secret-q"));

        assertThat(response.getStatusCode()).isEqualTo(404);
        JsonNode line = onlyLogLine();
        assertThat(line.path("status").asInt()).isEqualTo(404);
        assertThat(line.path("route").asString()).isEqualTo("$default");
        assertLogHoldsNoSecret();
    }

    @Test
    void applyWhenEndpointThrowsThen500WithoutDetailAndLogged() {
        APIGatewayV2HTTPResponse response = function()
                .apply(event("GET", "GET /v1/boom", "/v1/boom", "token=secret-q"));

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).doesNotContain("secret-b").doesNotContain("IllegalStateException");
        assertThat(onlyLogLine().path("status").asInt()).isEqualTo(500);
        assertLogHoldsNoSecret();
    }

    @Test
    void applyWhenInfoDisabledThenNoLogLineButSameResponse() {
        requestLog.setLevel(Level.WARN);

        APIGatewayV2HTTPResponse response = function()
                .apply(event("POST", "POST /v1/things/{id}", "/v1/things/t1", ""));

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(appender.list).isEmpty();
    }

    @Test
    void nameAndApplicationWhenBuiltThenExposed() {
        ApiGatewayFunction function = function();

        assertThat(function.name()).isEqualTo("things");
        assertThat(function.application().router().routes()).extracting(Object::toString)
                .containsExactlyInAnyOrder("POST /v1/things/{id}", "GET /v1/boom");
    }
}
