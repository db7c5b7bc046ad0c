package dev.latchkey.infrastructure.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Issue 19 item 11: the CloudFront origin secret and viewer address, without network. */
class EdgeOriginTest {

    private static final String SECRET = "9d1c7a4e2b8f6031c5e7a9b2d4f6081a3c5e7b9d1f2a4c6e";
    private static final EdgeOrigin EDGE = EdgeOrigin.of(Optional.of(SECRET));

    private static APIGatewayV2HTTPEvent event(Map<String, String> headers) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath("/v1/echo")
                .withHeaders(new HashMap<>(headers))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("req-edge")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("GET").withPath("/v1/echo").withSourceIp("130.176.0.10").build())
                        .build())
                .build();
    }

    @ParameterizedTest
    @CsvSource({
        "203.0.113.7:50000, 203.0.113.7",
        "2001:db8::1:443, 2001:db8::1",
        "2001:DB8:0:0:0:0:0:1:8443, 2001:db8:0:0:0:0:0:1",
        "::1:80, ::1",
        "::ffff:192.0.2.1:1234, ::ffff:192.0.2.1",
        "0.0.0.0:0, 0.0.0.0"})
    void viewerIpWhenIpAndPortThenIpBeforeLastColon(String value, String ip) {
        assertThat(EdgeOrigin.viewerIp(value)).hasValue(ip);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "203.0.113.7", "203.0.113.7:", "203.0.113.7:65536", "203.0.113.7:-1",
        "203.0.113.7:8o", "example.com:443", "localhost:443", "[2001:db8::1]:443", "256.0.0.1:443",
        "01.2.3.4:443", "1.2.3:443", "2001:db8:::1:443", "2001:db8::1::2:443", "1:2:3:4:5:6:7:8:9:443",
        "fe80::1%eth0:443", "12345::1:443", ":443", "203.0.113.7 :443", "2001:db8::g:443"})
    void viewerIpWhenNotIpLiteralAndPortThenEmpty(String value) {
        assertThat(EdgeOrigin.viewerIp(value)).isEmpty();
    }

    @Test
    void clientAddressWhenEdgeOffThenSourceIpAndViewerHeaderIgnored() {
        Map<String, String> spoofed = Map.of("cloudfront-viewer-address", "192.0.2.66:443",
                "x-latchkey-edge-secret", "anything");

        assertThat(EdgeOrigin.off().clientAddress(spoofed, "203.0.113.10")).hasValue("203.0.113.10");
        assertThat(EdgeOrigin.of(Optional.empty()).enabled()).isFalse();
    }

    @Test
    void clientAddressWhenSecretMissingWrongOrPrefixThenRefused() {
        String viewer = "192.0.2.66:443";

        assertThat(EDGE.clientAddress(Map.of("cloudfront-viewer-address", viewer), "130.176.0.10")).isEmpty();
        assertThat(EDGE.clientAddress(Map.of("x-latchkey-edge-secret", SECRET.substring(1),
                "cloudfront-viewer-address", viewer), "130.176.0.10")).isEmpty();
        assertThat(EDGE.clientAddress(Map.of("x-latchkey-edge-secret", SECRET + "x",
                "cloudfront-viewer-address", viewer), "130.176.0.10")).isEmpty();
        assertThat(EDGE.clientAddress(Map.of("x-latchkey-edge-secret", "",
                "cloudfront-viewer-address", viewer), "130.176.0.10")).isEmpty();
        assertThat(EDGE.clientAddress(null, "130.176.0.10")).isEmpty();
    }

    @Test
    void clientAddressWhenSecretRightThenViewerIpNeverSourceIp() {
        assertThat(EDGE.clientAddress(Map.of("x-latchkey-edge-secret", SECRET,
                "cloudfront-viewer-address", "192.0.2.66:443"), "130.176.0.10")).hasValue("192.0.2.66");
        assertThat(EDGE.clientAddress(Map.of("X-Latchkey-Edge-Secret", SECRET,
                "CloudFront-Viewer-Address", "2001:db8::5:443"), "130.176.0.10")).hasValue("2001:db8::5");
        assertThat(EDGE.clientAddress(Map.of("x-latchkey-edge-secret", SECRET), "130.176.0.10"))
                .as("no viewer address: refused, not sourceIp").isEmpty();
        assertThat(EDGE.clientAddress(Map.of("x-latchkey-edge-secret", SECRET,
                "cloudfront-viewer-address", "evil.example:443"), "130.176.0.10")).isEmpty();
    }

    @Test
    void toRequestWhenSecretHeaderPresentThenStrippedWithOrWithoutEdge() {
        Map<String, String> headers = Map.of("x-latchkey-edge-secret", SECRET,
                "cloudfront-viewer-address", "192.0.2.66:443", "accept", "*/*");

        HttpRequest withEdge = ApiGatewayEvents.toRequest(event(headers), EDGE).orElseThrow();
        HttpRequest withoutEdge = ApiGatewayEvents.toRequest(event(headers));

        assertThat(withEdge.sourceIp()).isEqualTo("192.0.2.66");
        assertThat(withEdge.headers().first("x-latchkey-edge-secret")).isEmpty();
        assertThat(withEdge.headers().first("accept")).hasValue("*/*");
        assertThat(withoutEdge.sourceIp()).as("no edge: the viewer header cannot be spoofed").isEqualTo("130.176.0.10");
        assertThat(withoutEdge.headers().first("x-latchkey-edge-secret")).isEmpty();
    }

    @Test
    void applyWhenEdgeOnAndSecretWrongThen403StandardBodyNoRouteAndNoSecretLogged() {
        AtomicReference<String> seen = new AtomicReference<>();
        Router router = Router.builder().route("GET /v1/echo", request -> {
            seen.set(request.sourceIp());
            return HttpResponse.json(200, Json.write(Map.of("ip", request.sourceIp())));
        }).build();
        ApiGatewayFunction function = new ApiGatewayFunction("echo", new HttpApplication(router, 1024), EDGE);
        Logger requestLog = (Logger) LoggerFactory.getLogger("latchkey.request");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        requestLog.addAppender(appender);
        try {
            APIGatewayV2HTTPResponse refused = function.apply(event(Map.of("x-latchkey-edge-secret", "wrong-" + SECRET,
                    "cloudfront-viewer-address", "192.0.2.66:443")));
            APIGatewayV2HTTPResponse admitted = function.apply(event(Map.of("x-latchkey-edge-secret", SECRET,
                    "cloudfront-viewer-address", "192.0.2.66:443")));

            assertThat(refused.getStatusCode()).isEqualTo(403);
            JsonNode error = Json.mapper().readTree(refused.getBody()).path("error");
            assertThat(error.path("code").asString()).isEqualTo("PERMISSION_DENIED");
            assertThat(error.path("details").path("reason").asString()).isEqualTo("EDGE_REQUIRED");
            assertThat(error.path("request_id").asString()).isEqualTo("req-edge");
            assertThat(refused.getBody()).doesNotContainIgnoringCase("secret").doesNotContain(SECRET);
            assertThat(admitted.getStatusCode()).isEqualTo(200);
            assertThat(seen.get()).as("only the admitted request reached the route").isEqualTo("192.0.2.66");
            assertThat(appender.list).hasSize(2).allSatisfy(line -> assertThat(line.getFormattedMessage())
                    .doesNotContain(SECRET));
            assertThat(appender.list.get(0).getFormattedMessage()).contains("\"status\":403", "EDGE_REQUIRED");
        } finally {
            requestLog.detachAppender(appender);
        }
    }
}
