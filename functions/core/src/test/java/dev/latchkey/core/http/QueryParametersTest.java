package dev.latchkey.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParametersTest {

    private static HttpRequest request(Map<String, List<String>> query) {
        return HttpRequest.builder("GET", "/v1/orgs/org_1/members").query(query).build();
    }

    private static HttpRequest request(String name, String... values) {
        return request(Map.of(name, List.of(values)));
    }

    private static Map<String, Object> refusal(Runnable read) {
        RequestException refused = catchThrowableOfType(RequestException.class, read::run);
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        return refused.details();
    }

    @Test
    void noneWhenNoQueryThenAccepted() {
        QueryParameters.none(request(Map.of()));
    }

    @Test
    void noneWhenAnyParameterThenUnknownParameterNamingIt() {
        assertThat(refusal(() -> QueryParameters.none(request("sort", "name"))))
                .isEqualTo(Map.of("field", "sort", "reason", "UNKNOWN_PARAMETER"));
    }

    @Test
    void onlyWhenKnownParametersOnceThenAccepted() {
        QueryParameters.only(request(Map.of("limit", List.of("5"), "cursor", List.of("c"))), Set.of("limit", "cursor"));
    }

    @Test
    void onlyWhenUnknownParameterThenRefusedWithTheReasonAsked() {
        HttpRequest request = request("colour", "red");
        assertThat(refusal(() -> QueryParameters.only(request, Set.of("limit"))))
                .isEqualTo(Map.of("field", "colour", "reason", "UNKNOWN_PARAMETER"));
        assertThat(refusal(() -> QueryParameters.only(request, Set.of("limit"), "UNKNOWN")))
                .isEqualTo(Map.of("field", "colour", "reason", "UNKNOWN"));
    }

    @Test
    void onlyWhenParameterRepeatedThenRepeated() {
        assertThat(refusal(() -> QueryParameters.only(request("limit", "1", "2"), Set.of("limit"))))
                .isEqualTo(Map.of("field", "limit", "reason", "REPEATED"));
    }

    @Test
    void onlyWhenUnknownNameLongOrWithControlCharactersThenEchoedCutAndClean() {
        String name = "a\u0000b\u007fc" + "x".repeat(100);
        Map<String, Object> details = refusal(() -> QueryParameters.only(request(name, "1"), Set.of()));
        assertThat(details.get("field")).isEqualTo("abc" + "x".repeat(59));
    }

    @Test
    void limitWhenAbsentThenDefault() {
        assertThat(QueryParameters.limit(request(Map.of()), 50, 100)).isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "0", "100", "101", "9999", "0007"})
    void limitWhenDigitsThenParsedAndTheRangeLeftToTheUseCase(String value) {
        assertThat(QueryParameters.limit(request("limit", value), 50, 100)).isEqualTo(Integer.parseInt(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "1.5", "10000", " 5", "1e2"})
    void limitWhenNotFourDigitsThenInvalidFormat(String value) {
        Map<String, Object> details = refusal(() -> QueryParameters.limit(request("limit", value), 50, 100));
        assertThat(details).isEqualTo(Map.of("field", "limit", "reason", "INVALID_FORMAT"));
    }

    @Test
    void limitMessageNamesTheRange() {
        RequestException refused = catchThrowableOfType(RequestException.class,
                () -> QueryParameters.limit(request("limit", "x"), 50, 100));
        assertThat(refused).hasMessage("Query 'limit' is a whole number, 1 to 100.");
    }

    @Test
    void routePermissionsKeepTheWrittenOrderAndRefuseMistakes() {
        Map<String, String> permissions = RoutePermissions.of("GET /b", "b:read", "GET /a", "a:read");
        assertThat(permissions.keySet()).containsExactly("GET /b", "GET /a");
        assertThat(permissions).isEqualTo(new LinkedHashMap<>(Map.of("GET /a", "a:read", "GET /b", "b:read")));
        assertThatIllegalArgumentException().isThrownBy(() -> RoutePermissions.of("GET /a"));
        assertThatIllegalArgumentException().isThrownBy(() -> RoutePermissions.of("GET /a", "x", "GET /a", "y"));
    }
}
