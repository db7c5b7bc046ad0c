package dev.latchkey.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.latchkey.core.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class HttpApplicationTest {

    private static final int LIMIT = 64;

    record Login(String email, String password) {
    }

    private final AtomicBoolean endpointCalled = new AtomicBoolean();

    private final HttpApplication application = new HttpApplication(Router.builder()
            .route("POST /echo", request -> {
                endpointCalled.set(true);
                return HttpResponse.json(200, request.body());
            })
            .route("GET /boom", request -> {
                throw new IllegalStateException("secret-detail");
            })
            .route("GET /store-down", request -> {
                throw new StoreUnavailableException(new RuntimeException("secret-detail"));
            })
            .route("GET /cached", request -> HttpResponse.json(200, "{}".getBytes(StandardCharsets.UTF_8))
                    .withHeader("Cache-Control", "public, max-age=60")
                    .withHeader("Location", "/cached/1"))
            .route("GET /plain", request -> HttpResponse.noContent())
            .route("POST /login", request -> {
                Login login = Json.readBody(request, Login.class);
                return HttpResponse.json(200, Json.write(login.email()));
            })
            .build(), LIMIT);

    private static HttpRequest post(String path, int bodyBytes) {
        return HttpRequest.builder("POST", path).requestId("req-413")
                .headers(Headers.ofPairs("content-type", "application/json"))
                .body(new byte[bodyBytes]).build();
    }

    private static JsonNode error(HttpResponse response) {
        JsonNode root = Json.mapper().readTree(response.bodyText());
        assertThat(root.propertyNames()).containsExactly("error");
        JsonNode error = root.get("error");
        assertThat(error.propertyNames()).containsExactly("code", "message", "details", "request_id");
        return error;
    }

    private static void assertSafeHeaders(HttpResponse response) {
        assertThat(response.headers())
                .containsEntry("cache-control", "no-store")
                .containsEntry("x-content-type-options", "nosniff");
    }

    @Test
    @DisplayName("[16.5.1] body over the limit → 413 PAYLOAD_TOO_LARGE in the standard error body")
    void handleWhenBodyOverLimitThenPayloadTooLarge() {
        HttpResponse response = application.handle(post("/echo", LIMIT + 1));

        assertThat(response.status()).isEqualTo(413);
        JsonNode error = error(response);
        assertThat(error.get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.get("details").get("limit_bytes").asInt()).isEqualTo(LIMIT);
        assertThat(error.get("request_id").asString()).isEqualTo("req-413");
        assertThat(response.headers()).containsEntry("content-type", "application/json");
        assertSafeHeaders(response);
        assertThat(endpointCalled).as("the endpoint never sees an oversized body").isFalse();
    }

    @Test
    void handleWhenBodyExactlyAtLimitThenServed() {
        HttpResponse response = application.handle(post("/echo", LIMIT));

        assertThat(response.status()).isEqualTo(200);
        assertThat(endpointCalled).isTrue();
        assertSafeHeaders(response);
    }

    @Test
    @DisplayName("[16.5.1] unexpected exception → 500 INTERNAL_ERROR, no message, no stack trace")
    void handleWhenEndpointThrowsRuntimeExceptionThenInternalErrorWithoutDetail() {
        HttpResponse response = application.handle(HttpRequest.builder("GET", "/boom").requestId("req-500").build());

        assertThat(response.status()).isEqualTo(500);
        JsonNode error = error(response);
        assertThat(error.get("code").asString()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.get("details").isEmpty()).isTrue();
        assertThat(error.get("request_id").asString()).isEqualTo("req-500");
        assertThat(response.bodyText())
                .doesNotContain("secret-detail")
                .doesNotContain("IllegalStateException")
                .doesNotContain("Exception")
                .doesNotContain("dev.latchkey")
                .doesNotContain("\tat ");
        assertSafeHeaders(response);
    }

    @Test
    @DisplayName("[16.5.3] store unavailable → 503 SERVICE_UNAVAILABLE without the cause")
    void handleWhenStoreUnavailableThenServiceUnavailableWithoutCause() {
        HttpResponse response = application.handle(HttpRequest.builder("GET", "/store-down").build());

        assertThat(response.status()).isEqualTo(503);
        assertThat(error(response).get("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(response.bodyText()).doesNotContain("secret-detail").doesNotContain("Exception");
        assertSafeHeaders(response);
    }

    @Test
    @DisplayName("[16.5.1] wrong method → 405 with allow header and the standard error body")
    void handleWhenMethodWrongThenMethodNotAllowedWithAllowHeader() {
        HttpResponse response = application.handle(HttpRequest.builder("DELETE", "/echo").build());

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("allow", "POST");
        assertThat(error(response).get("code").asString()).isEqualTo("METHOD_NOT_ALLOWED");
        assertSafeHeaders(response);
    }

    @Test
    void handleWhenPathUnknownThenNotFoundInStandardBody() {
        HttpResponse response = application.handle(HttpRequest.builder("GET", "/nowhere").build());

        assertThat(response.status()).isEqualTo(404);
        assertThat(error(response).get("code").asString()).isEqualTo("NOT_FOUND");
        assertSafeHeaders(response);
    }

    @Test
    @DisplayName("[16.5.1] a body of JSON null → 400 VALIDATION_ERROR, not a 500 from a null command")
    void handleWhenBodyIsJsonNullThenValidationError() {
        HttpResponse response = application.handle(HttpRequest.builder("POST", "/login")
                .headers(Headers.ofPairs("Content-Type", "application/json"))
                .body("null".getBytes(StandardCharsets.UTF_8)).build());

        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response).get("code").asString()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void handleWhenJsonBodyValidThenEndpointServes() {
        HttpResponse response = application.handle(HttpRequest.builder("POST", "/login")
                .headers(Headers.ofPairs("Content-Type", "application/json"))
                .body("{\"email\":\"a@example.com\",\"password\":\"p\"}".getBytes(StandardCharsets.UTF_8)).build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("\"a@example.com\"");
    }

    @Test
    void handleWhenEndpointSetsHeadersThenTheyAreKept() {
        HttpResponse response = application.handle(HttpRequest.builder("GET", "/cached").build());

        assertThat(response.headers())
                .containsEntry("cache-control", "public, max-age=60")
                .containsEntry("location", "/cached/1")
                .containsEntry("x-content-type-options", "nosniff");
    }

    @Test
    void handleWhenSuccessThenSecurityHeadersAdded() {
        HttpResponse response = application.handle(HttpRequest.builder("GET", "/plain").build());

        assertThat(response.status()).isEqualTo(204);
        assertSafeHeaders(response);
    }

    @Test
    void handleWhenRequestIdEmptyThenErrorBodyOmitsIt() {
        HttpResponse response = application.handle(HttpRequest.builder("GET", "/nowhere").requestId("").build());

        JsonNode error = Json.mapper().readTree(response.bodyText()).get("error");
        assertThat(error.has("request_id")).isFalse();
    }

    @Test
    void constructWhenLimitNotPositiveThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpApplication(Router.builder().build(), 0));
    }
}
