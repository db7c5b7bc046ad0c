package dev.latchkey.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathTemplateTest {

    @Test
    void matchWhenVariablesPresentThenParametersExtractedInOrder() {
        PathTemplate template = PathTemplate.parse("/v1/orgs/{orgId}/api-keys/{keyId}");

        assertThat(template.match("/v1/orgs/org_01ABC/api-keys/key_01XYZ"))
                .hasValue(Map.of("orgId", "org_01ABC", "keyId", "key_01XYZ"));
        assertThat(template.variables()).containsExactly("orgId", "keyId");
        assertThat(template.literalCount()).isEqualTo(3);
    }

    @Test
    void matchWhenLiteralDiffersThenEmpty() {
        assertThat(PathTemplate.parse("/v1/orgs/{orgId}").match("/v1/users/org_1")).isEmpty();
    }

    @Test
    void matchWhenSegmentEmptyThenVariableNeverMatches() {
        PathTemplate template = PathTemplate.parse("/x/{id}/y");

        assertThat(template.match("/x//y")).isEmpty();
        assertThat(PathTemplate.parse("/x/{id}").match("/x/")).isEmpty();
    }

    @Test
    void matchWhenTrailingSlashThenNoMatch() {
        assertThat(PathTemplate.parse("/health/ready").match("/health/ready/")).isEmpty();
        assertThat(PathTemplate.parse("/x/{id}").match("/x/1/")).isEmpty();
    }

    @Test
    void matchWhenSegmentCountDiffersThenNoMatch() {
        PathTemplate template = PathTemplate.parse("/x/{id}");

        assertThat(template.match("/x")).isEmpty();
        assertThat(template.match("/x/1/2")).isEmpty();
    }

    @Test
    void matchWhenPathNotAbsoluteThenNoMatch() {
        assertThat(PathTemplate.parse("/health").match("health")).isEmpty();
    }

    @Test
    void matchWhenRootTemplateThenOnlyRootMatches() {
        PathTemplate root = PathTemplate.parse("/");

        assertThat(root.match("/")).hasValue(Map.of());
        assertThat(root.match("/x")).isEmpty();
        assertThat(root.literalCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "health", "/a//b", "/a/", "/{1bad}", "/{id}x", "/a b", "/{}", "/a/{id"})
    void parseWhenTemplateMalformedThenRejected(String template) {
        assertThatIllegalArgumentException().isThrownBy(() -> PathTemplate.parse(template));
    }

    @Test
    void equalsWhenSameTextThenEqual() {
        assertThat(PathTemplate.parse("/x/{id}")).isEqualTo(PathTemplate.parse("/x/{id}"))
                .hasSameHashCodeAs(PathTemplate.parse("/x/{id}"))
                .hasToString("/x/{id}");
    }
}
