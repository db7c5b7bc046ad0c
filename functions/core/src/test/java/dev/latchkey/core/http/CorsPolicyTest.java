package dev.latchkey.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorsPolicyTest {

    private static final String APP = "https://app.example.com";
    private final CorsPolicy policy = new CorsPolicy(List.of(APP), Duration.ofSeconds(600), false);

    @Test
    void preflightWhenOriginListedThenAllowHeadersForThatOriginOnly() {
        Headers headers = Headers.ofPairs("Origin", APP, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type,authorization");

        assertThat(policy.isPreflight("OPTIONS", headers)).isTrue();
        HttpResponse answer = policy.preflight(headers);

        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.headers()).containsEntry("access-control-allow-origin", APP)
                .containsEntry("access-control-allow-methods", "GET,POST,PUT,PATCH,DELETE")
                .containsEntry("access-control-allow-headers", "authorization,content-type,if-none-match,x-api-key")
                .containsEntry("access-control-max-age", "600")
                .containsEntry("vary", "origin")
                .doesNotContainKey("access-control-allow-credentials");
    }

    @Test
    void preflightWhenOriginForeignThenNoAllowHeaders() {
        Headers headers = Headers.ofPairs("Origin", "https://evil.example", "Access-Control-Request-Method", "POST");

        HttpResponse answer = policy.preflight(headers);

        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.headers()).doesNotContainKeys("access-control-allow-origin", "access-control-allow-methods",
                "access-control-allow-headers");
    }

    @Test
    void responseHeadersWhenOriginListedThenEchoedWithExposedHeadersElseNone() {
        assertThat(policy.responseHeaders(Headers.ofPairs("Origin", APP)))
                .containsEntry("access-control-allow-origin", APP)
                .containsEntry("access-control-expose-headers", String.join(",", CorsPolicy.EXPOSE_HEADERS));
        assertThat(policy.responseHeaders(Headers.ofPairs("Origin", "https://app.example.com.evil.test"))).isEmpty();
        assertThat(policy.responseHeaders(Headers.empty())).isEmpty();
    }

    @Test
    void credentialsWhenAllowedThenSaidOnPreflightAndResponse() {
        CorsPolicy withCookies = new CorsPolicy(List.of(APP), Duration.ofSeconds(60), true);
        Headers headers = Headers.ofPairs("Origin", APP, "Access-Control-Request-Method", "GET");

        assertThat(withCookies.preflight(headers).headers()).containsEntry("access-control-allow-credentials", "true");
        assertThat(withCookies.responseHeaders(headers)).containsEntry("access-control-allow-credentials", "true");
    }

    @Test
    void isPreflightWhenOffOrNotOptionsOrNoRequestMethodThenFalse() {
        Headers preflight = Headers.ofPairs("Origin", APP, "Access-Control-Request-Method", "POST");
        assertThat(CorsPolicy.off().isPreflight("OPTIONS", preflight)).isFalse();
        assertThat(CorsPolicy.off().responseHeaders(preflight)).isEmpty();
        assertThat(policy.isPreflight("POST", preflight)).isFalse();
        assertThat(policy.isPreflight("OPTIONS", Headers.ofPairs("Origin", APP))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "null", "app.example.com", "https://app.example.com/", "https://app.example.com/x",
        "ftp://app.example.com", "https://APP.example.com", "https://user@app.example.com", ""})
    void originProblemWhenNotAnExactLowerCaseOriginThenRefused(String value) {
        assertThat(CorsPolicy.originProblem(value)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com", "http://localhost:5173", "http://127.0.0.1:8080"})
    void originProblemWhenExactOriginThenAccepted(String value) {
        assertThat(CorsPolicy.originProblem(value)).isEmpty();
    }
}
