package dev.latchkey.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RouterTest {

    /** An endpoint answering 200 with its name and the path parameters it received. */
    private static Endpoint named(String name) {
        return request -> HttpResponse.json(200, ("{\"endpoint\":\"" + name + "\",\"params\":\""
                + new java.util.TreeMap<>(request.pathParameters()) + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequest request(String method, String path) {
        return HttpRequest.builder(method, path).build();
    }

    private static RequestException rejected(Router router, String method, String path) {
        RequestException e = catchThrowableOfType(RequestException.class, () -> router.dispatch(request(method, path)));
        assertThat(e).as("%s %s should be rejected", method, path).isNotNull();
        return e;
    }

    /** A router serving the API's real health routes, as the health function does. */
    private static Router healthRouter() {
        Router.Builder builder = Router.builder();
        ApiRoutes.HEALTH.forEach(route -> builder.route(route.key(), named(route.key())));
        return builder.build();
    }

    @Test
    void dispatchWhenLiteralAndVariableBothMatchThenLiteralWins() {
        Router router = Router.builder()
                .route("GET /x/{id}", named("byId"))
                .route("GET /x/stats", named("stats"))
                .build();

        assertThat(router.dispatch(request("GET", "/x/stats")).bodyText()).contains("\"endpoint\":\"stats\"");
        assertThat(router.dispatch(request("GET", "/x/42")).bodyText()).contains("\"endpoint\":\"byId\"");
    }

    @Test
    void dispatchWhenLiteralRegisteredFirstThenLiteralStillWins() {
        Router router = Router.builder()
                .route("GET /x/stats", named("stats"))
                .route("GET /x/{id}", named("byId"))
                .build();

        assertThat(router.dispatch(request("GET", "/x/stats")).bodyText()).contains("\"endpoint\":\"stats\"");
    }

    @Test
    void dispatchWhenRouteHasVariablesThenEndpointSeesPathParameters() {
        Router router = Router.builder()
                .route("DELETE /v1/orgs/{orgId}/api-keys/{keyId}", request -> {
                    assertThat(request.pathParameter("orgId")).isEqualTo("org_1");
                    assertThat(request.pathParameter("keyId")).isEqualTo("key_2");
                    return HttpResponse.noContent();
                })
                .build();

        assertThat(router.dispatch(request("DELETE", "/v1/orgs/org_1/api-keys/key_2")).status()).isEqualTo(204);
    }

    @Test
    void dispatchWhenSegmentEmptyThenVariableRouteDoesNotMatch() {
        Router router = Router.builder().route("GET /x/{id}/y", named("y")).build();

        RequestException e = rejected(router, "GET", "/x//y");

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void dispatchWhenTrailingSlashThenNotFound() {
        RequestException e = rejected(healthRouter(), "GET", "/health/ready/");

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    @DisplayName("[16.5.1] unknown path → 404 NOT_FOUND")
    void dispatchWhenPathUnknownThenNotFound() {
        RequestException e = rejected(healthRouter(), "GET", "/nope");

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.code().status()).isEqualTo(404);
        assertThat(e.headers()).doesNotContainKey("allow");
    }

    @Test
    @DisplayName("[16.5.1] POST /health/ready → 405 METHOD_NOT_ALLOWED with allow: GET")
    void dispatchWhenPathKnownButMethodWrongThenMethodNotAllowedWithAllow() {
        RequestException e = rejected(healthRouter(), "POST", "/health/ready");

        assertThat(e.code()).isEqualTo(ErrorCode.METHOD_NOT_ALLOWED);
        assertThat(e.code().status()).isEqualTo(405);
        assertThat(e.headers()).containsEntry("allow", "GET");
        assertThat(e.details()).containsEntry("allow", "GET");
    }

    @Test
    void dispatchWhenRouterServesOtherMethodsThenAllowListsThemSorted() {
        Router router = Router.builder()
                .route("PUT /x/{id}", named("put"))
                .route("GET /x/{id}", named("get"))
                .build();

        RequestException e = rejected(router, "DELETE", "/x/1");

        assertThat(e.code()).isEqualTo(ErrorCode.METHOD_NOT_ALLOWED);
        assertThat(e.headers()).containsEntry("allow", "GET, PUT");
    }

    @Test
    void dispatchWhenHealthPathsRequestedThenEachServed() {
        Router router = healthRouter();

        assertThat(router.routes()).extracting(Route::key)
                .containsExactlyInAnyOrder("GET /health", "GET /health/live", "GET /health/ready");
        assertThat(router.dispatch(request("GET", "/health/live")).bodyText()).contains("GET /health/live");
    }

    @Test
    void routeWhenDuplicateThenRejected() {
        Router.Builder builder = Router.builder().route("GET /x/{id}", named("a"));

        assertThatIllegalArgumentException().isThrownBy(() -> builder.route("GET /x/{id}", named("b")))
                .withMessageContaining("duplicate");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.route("get /x/{id}", named("c")));
    }

    @Test
    void routeWhenSameTemplateOtherMethodThenAccepted() {
        Router router = Router.builder()
                .route("GET /x/{id}", named("get"))
                .route("DELETE /x/{id}", request -> HttpResponse.noContent())
                .build();

        assertThat(router.dispatch(request("DELETE", "/x/1")).status()).isEqualTo(204);
    }

    @Test
    void routeWhenKeyMalformedThenRejected() {
        Router.Builder builder = Router.builder();

        assertThatIllegalArgumentException().isThrownBy(() -> builder.route("/x", named("a")));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.route("BREW /pot", named("a")));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.route("GET x", named("a")));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.route("GET /x/", named("a")));
    }

    @Test
    void errorBodyWhenMethodNotAllowedThenAllowHeaderOnResponse() {
        RequestException e = rejected(healthRouter(), "POST", "/health/ready");

        HttpResponse response = ErrorResponses.of(e, "req-1");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("allow", "GET");
        assertThat(Map.copyOf(response.headers())).containsKey("content-type");
    }
}
