package dev.latchkey.infrastructure.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.lambda.ApiGatewayFunction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 17 item 3: every secret shape Latchkey knows goes through every log path — an SLF4J message, its arguments,
 * an exception's message and cause chain, the JDK {@code System.Logger} that core's {@code HttpApplication} uses
 * (bridged as Spring Boot bridges it in Lambda), and a whole request through {@link ApiGatewayFunction} carrying the
 * secrets in headers, query, path, cookies and body — and none comes out of {@link JsonLogLayout}. Every line is
 * JSON with {@code level}, {@code logger}, {@code function}, {@code request_id} and {@code trace_id}.
 */
class LogRedactionTest {

    private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS = LambdaEventSerializers
            .serializerFor(APIGatewayV2HTTPEvent.class, LogRedactionTest.class.getClassLoader());

    /** One of each shape: the credentials by prefix, a JWT, a TOTP secret, an email, a password. */
    static final Map<String, String> SECRETS = Map.ofEntries(
            Map.entry("api key", "lk_9Qx3vTz8Yb2Lm5Np7Rs1Kd4Wf6Hj0GcAe"),
            Map.entry("refresh token", "lkr_Vb7Nq2Zt5Lm9Xc3Jd8Fh1Kp4Wr6Ys0Ga"),
            Map.entry("client secret", "lkcs_T4n8Qw2Ez6Rx1Cv5Bn9Mj3Hk7Lp0Sd"),
            Map.entry("verification token", "lkv_Gm5Wq8Zr2Tx6Nc1Vb4Kj9Hp3Ld7Fs0"),
            Map.entry("reset token", "lkp_Hq2Wn6Zx9Tr3Mc7Vb1Kj5Lp8Fd4Gs0"),
            Map.entry("invitation token", "lki_Jr3Wq7Zn1Tx5Mc9Vb2Kh6Lp4Fd8Gs0"),
            Map.entry("jwt", "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c3JfMDFKIn0.MEUCIQDx3k9Zp"),
            Map.entry("totp secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
            Map.entry("email", "grace.hopper@example.com"),
            Map.entry("password", "Cobol-Nanosecond-Moth-47"));

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;

    @BeforeEach
    void capture() {
        LoggerContext context = root.getLoggerContext();
        JsonLogLayout layout = new JsonLogLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        root.addAppender(appender);
        JulBridge.install();
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
        appender.stop();
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private void assertNoSecretIn(List<String> lines) {
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            SECRETS.forEach((shape, secret) -> assertThat(line).as(shape + " in " + line).doesNotContain(secret));
            @SuppressWarnings("unchecked")
            Map<String, Object> json = Json.mapper().readValue(line, Map.class);
            assertThat(json.keySet()).as(line).contains("timestamp", "level", "logger", "function", "request_id",
                    "trace_id");
        }
    }

    @Test
    void slf4jMessageArgumentsAndExceptionsWhenHoldingSecretsThenRedacted() {
        org.slf4j.Logger log = LoggerFactory.getLogger("dev.latchkey.test");
        SECRETS.forEach((shape, secret) -> {
            if (!shape.equals("password")) {
                // A password has no shape: only a secret-named field gives it away (below).
                log.warn("a message quoting " + secret + " inline");
            }
            log.warn("a field password={} and \"password\":\"{}\" and secret: {}", secret, secret, secret);
            if (!shape.equals("password")) {
                log.warn("an argument {}", secret);
            }
            log.error("failed", new IllegalStateException("bad input password=" + secret,
                    new IllegalArgumentException("cause with token=" + secret + " and Bearer " + secret)));
        });
        SECRETS.forEach((shape, secret) -> log.warn("form body email={}&password={}&otp={}", secret, secret, secret));

        assertNoSecretIn(lines());
        assertThat(lines()).anySatisfy(line -> assertThat(line).contains("lk_" + Redaction.MASK));
    }

    @Test
    void requestThroughApiGatewayFunctionWhenEverythingHoldsSecretsThenNoLineHoldsOne() {
        Router router = Router.builder()
                .route("POST /v1/things/{id}", request -> {
                    // A careless handler: logs what it got, then fails with the input in the message.
                    LoggerFactory.getLogger("dev.latchkey.careless").info("got {}",
                            new String(request.body(), StandardCharsets.UTF_8));
                    throw new IllegalStateException("could not use " + request.headers().first("authorization"));
                })
                .route("POST /v1/store", request -> {
                    throw new StoreUnavailableException(new RuntimeException("store down for "
                            + SECRETS.get("email") + " " + SECRETS.get("refresh token")));
                })
                .build();
        ApiGatewayFunction function = new ApiGatewayFunction("things", new HttpApplication(router, 64 * 1024));
        String body = json(Map.of("password", SECRETS.get("password"), "totp_secret",
                SECRETS.get("totp secret"), "email", SECRETS.get("email"),
                "client_secret", SECRETS.get("client secret"),
                "code", SECRETS.get("reset token"), "invitation", SECRETS.get("invitation token")));

        function.apply(event("POST /v1/things/{id}", "/v1/things/" + SECRETS.get("verification token"),
                "token=" + SECRETS.get("refresh token"), body));
        function.apply(event("POST /v1/store", "/v1/store", "", body));

        List<String> lines = lines();
        assertNoSecretIn(lines);
        assertThat(lines).filteredOn(line -> line.contains("\"logger\":\"latchkey.request\"")).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("\"function\":\"things\"", "\"request_id\":\"req-42\"",
                        "\"trace_id\":\"1-5759e988-bd862e3fe1be46a994272793\"", "\"type\":\"request\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"logger\":\"dev.latchkey.careless\"",
                "\"request_id\":\"req-42\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"level\":\"ERROR\"",
                "dev.latchkey.core.http.HttpApplication", "\"error\":"));
    }

    private static String json(Object value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, String path, String query, String body) {
        String json = json(Map.of(
                "version", "2.0",
                "routeKey", routeKey,
                "rawPath", path,
                "rawQueryString", query,
                "cookies", List.of("sid=" + SECRETS.get("refresh token")),
                "headers", Map.of("authorization", "Bearer " + SECRETS.get("jwt"),
                        "x-api-key", SECRETS.get("api key"), "content-type", "application/json",
                        "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"),
                "requestContext", Map.of("http", Map.of("method", "POST", "path", path, "protocol", "HTTP/1.1",
                        "sourceIp", "203.0.113.10"), "requestId", "req-42", "routeKey", routeKey, "stage", "$default"),
                "body", body,
                "isBase64Encoded", false));
        return EVENTS.fromJson(json);
    }
}
