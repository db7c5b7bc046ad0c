package dev.latchkey.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTest {

    @Test
    void parseWhenKeyValidThenMethodAndPathKept() {
        Route route = Route.parse("POST /v1/auth/register");

        assertThat(route.method()).isEqualTo("POST");
        assertThat(route.path().text()).isEqualTo("/v1/auth/register");
        assertThat(route.key()).isEqualTo("POST /v1/auth/register");
        assertThat(route).hasToString("POST /v1/auth/register");
    }

    @Test
    void parseWhenMethodLowerCaseThenUpperCased() {
        assertThat(Route.parse("delete /x/{id}").key()).isEqualTo("DELETE /x/{id}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "/health", "", "FETCH /x", "GET health", "GET  /x", "GET /x/", "GET /a//b"})
    void parseWhenKeyMalformedThenRejected(String routeKey) {
        assertThatIllegalArgumentException().isThrownBy(() -> Route.parse(routeKey));
    }

    @Test
    void constructWhenPathNullThenRejected() {
        assertThatNullPointerException().isThrownBy(() -> new Route("GET", null));
    }
}
