package dev.latchkey.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpMessageTest {

    private static final byte[] SECRET_BODY = "{\"password\":\"hunter2-secret\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void requestToStringWhenBodyHeadersAndQuerySecretThenNoneShown() {
        HttpRequest request = HttpRequest.builder("POST", "/v1/auth/login")
                .headers(Headers.ofPairs("Authorization", "Bearer secret-token"))
                .query(Map.of("api_key", List.of("secret-query")))
                .body(SECRET_BODY)
                .requestId("req-1")
                .build();

        assertThat(request.toString())
                .contains("POST", "/v1/auth/login", "req-1")
                .doesNotContain("hunter2-secret")
                .doesNotContain("secret-token")
                .doesNotContain("secret-query")
                .doesNotContain("Bearer");
    }

    @Test
    void responseToStringWhenBodyAndHeaderValuesSecretThenNoneShown() {
        HttpResponse response = HttpResponse.json(200, SECRET_BODY).withHeader("Set-Cookie", "sid=secret-cookie");

        assertThat(response.toString())
                .contains("200", "set-cookie")
                .doesNotContain("hunter2-secret")
                .doesNotContain("secret-cookie");
    }

    @Test
    void requestWhenBodyArrayChangedAfterBuildThenRequestUnchanged() {
        byte[] body = "abc".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.builder("POST", "/x").body(body).build();

        body[0] = 'z';
        request.body()[1] = 'z';

        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("abc");
        assertThat(request.bodyLength()).isEqualTo(3);
    }

    @Test
    void requestWhenNullsGivenThenEmptyDefaults() {
        HttpRequest request = new HttpRequest("GET", "/", Map.of(), Map.of(), Headers.empty(), null, null, null);

        assertThat(request.body()).isEmpty();
        assertThat(request.sourceIp()).isEmpty();
        assertThat(request.requestId()).isEmpty();
    }

    @Test
    void pathParameterWhenUndeclaredThenIllegalState() {
        HttpRequest request = HttpRequest.builder("GET", "/x").build();

        assertThatIllegalStateException().isThrownBy(() -> request.pathParameter("id"));
    }

    @Test
    void queryParameterWhenSeveralValuesThenFirst() {
        HttpRequest request = HttpRequest.builder("GET", "/x").query(Map.of("a", List.of("1", "2"))).build();

        assertThat(request.queryParameter("a")).hasValue("1");
        assertThat(request.queryParameter("b")).isEmpty();
    }

    @Test
    void responseWhenHeaderNamesMixedCaseThenLowerCased() {
        HttpResponse response = new HttpResponse(200, Map.of("X-Request-Id", "r1"), null);

        assertThat(response.headers()).containsOnlyKeys("x-request-id");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void withDefaultHeadersWhenHeaderAlreadySetThenKept() {
        HttpResponse response = HttpResponse.noContent().withHeader("Cache-Control", "private")
                .withDefaultHeaders(Map.of("cache-control", "no-store", "x-content-type-options", "nosniff"));

        assertThat(response.headers())
                .containsEntry("cache-control", "private")
                .containsEntry("x-content-type-options", "nosniff");
    }

    @Test
    void responseWhenStatusOutOfRangeThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpResponse(99, Map.of(), null));
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpResponse(600, Map.of(), null));
    }

    @Test
    void responseEqualsWhenSameBytesThenEqual() {
        assertThat(HttpResponse.json(200, SECRET_BODY)).isEqualTo(HttpResponse.json(200, SECRET_BODY.clone()))
                .hasSameHashCodeAs(HttpResponse.json(200, SECRET_BODY.clone()));
    }
}
