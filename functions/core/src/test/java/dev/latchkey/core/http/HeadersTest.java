package dev.latchkey.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void firstWhenNameCasingDiffersThenFound() {
        Headers headers = Headers.ofPairs("Content-Type", "application/json");

        assertThat(headers.first("content-type")).hasValue("application/json");
        assertThat(headers.first("CONTENT-TYPE")).hasValue("application/json");
        assertThat(headers.first("Content-Type")).hasValue("application/json");
    }

    @Test
    void ofWhenSameNameInSeveralCasingsThenValuesMergedInOrder() {
        Map<String, List<String>> raw = new LinkedHashMap<>();
        raw.put("X-Trace", List.of("a"));
        raw.put("x-trace", List.of("b", "c"));

        Headers headers = Headers.of(raw);

        assertThat(headers.all("X-TRACE")).containsExactly("a", "b", "c");
        assertThat(headers.first("x-trace")).hasValue("a");
        assertThat(headers.asMap()).containsOnlyKeys("x-trace");
    }

    @Test
    void allWhenAbsentThenEmpty() {
        assertThat(Headers.empty().all("authorization")).isEmpty();
        assertThat(Headers.empty().first("authorization")).isEmpty();
    }

    @Test
    void equalsWhenOnlyNameCasingDiffersThenEqual() {
        assertThat(Headers.ofPairs("Accept", "a")).isEqualTo(Headers.ofPairs("accept", "a"))
                .hasSameHashCodeAs(Headers.ofPairs("ACCEPT", "a"));
    }

    @Test
    void ofPairsWhenOddCountThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Headers.ofPairs("a", "b", "c"));
    }

    @Test
    void asMapWhenModifiedThenUnsupported() {
        Headers headers = Headers.ofPairs("a", "1");

        assertThatThrownBy(() -> headers.asMap().put("b", List.of("2")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.all("a").add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringWhenValuesSecretThenOnlyNamesShown() {
        Headers headers = Headers.ofPairs("Authorization", "Bearer secret-token", "Cookie", "sid=secret-cookie");

        assertThat(headers.toString())
                .contains("authorization", "cookie")
                .doesNotContain("secret-token")
                .doesNotContain("secret-cookie");
    }
}
