package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A key made by a key is created in one transaction that carries a {@code ConditionCheck} of each of its makers
 * ({@code DynamoDbApiKeyRepository.create}, docs/api-keys.md "Keys made by keys"): without
 * {@code dynamodb:ConditionCheckItem} on {@code APIKEY#*} the api-keys function's role turns every such create into
 * AccessDenied, which the store maps to 503 — and the emulator, which checks no IAM, never shows it. Pinned in SAM and
 * Terraform alike, limited to the key partitions.
 */
class ApiKeyFamilyPolicyTest {

    private static final Map<String, Object> ONLY_KEYS = Map.of("ForAllValues:StringLike",
            Map.of("dynamodb:LeadingKeys", List.of("APIKEY#*")));

    @Test
    @DisplayName("template.yaml: the api-keys function may ConditionCheck API-key items, and only those")
    void whenAKeyMakesAKeyThenSamAllowsTheMakersConditionCheck() {
        Map<String, Object> template = TemplateYaml.load();
        Object policies = SamTemplateTest.properties(SamTemplateTest.resource(template, "ApiKeysFunction"))
                .get("Policies");

        assertThat(conditionChecks(policies)).containsExactly(ONLY_KEYS);
    }

    @Test
    @DisplayName("terraform: the api-keys module may ConditionCheck API-key items, and only those")
    void whenAKeyMakesAKeyThenTerraformAllowsTheMakersConditionCheck() throws IOException {
        Path terraform = TemplateYaml.repoRoot().resolve("terraform");
        Object statements = TerraformTest.functionSettings(terraform).get("api-keys").get("policy_statements");

        assertThat(conditionChecks(statements)).containsExactly(ONLY_KEYS);
    }

    private static final Map<String, Object> TABLE_QUERIES = Map.of("ForAllValues:StringLike",
            Map.of("dynamodb:LeadingKeys", List.of("SIGNING_KEY", "APIKEY#*", "EXTID#*", "VERIFY_KEY#*",
                    "VERIFY_ORG#*")));

    @Test
    @DisplayName("SAM and Terraform: the api-keys function queries the table only in SIGNING_KEY, APIKEY#*, "
            + "EXTID#* (keys by external id, docs/api-keys.md \"Owner metadata\") and VERIFY_KEY#* / VERIFY_ORG#* "
            + "(verification analytics)")
    void whenKeysAreListedByExternalIdThenBothAllowQueryingOnlyThoseKeyPartitions() throws IOException {
        Object sam = SamTemplateTest.properties(SamTemplateTest.resource(TemplateYaml.load(), "ApiKeysFunction"))
                .get("Policies");
        Object terraform = TerraformTest.functionSettings(TemplateYaml.repoRoot().resolve("terraform"))
                .get("api-keys").get("policy_statements");

        assertThat(conditions(sam, "dynamodb:Query")).contains(TABLE_QUERIES).allSatisfy(condition ->
                assertThat(condition).isIn(TABLE_QUERIES, Map.of()));
        assertThat(conditions(terraform, "dynamodb:Query")).contains(TABLE_QUERIES).allSatisfy(condition ->
                assertThat(condition).isIn(TABLE_QUERIES, Map.of()));
    }

    /** The conditions of every Allow statement (any nesting) whose actions include ConditionCheckItem. */
    private static List<Object> conditionChecks(Object policy) {
        return conditions(policy, "dynamodb:ConditionCheckItem");
    }

    /** The conditions of every Allow statement (any nesting) whose actions include the action. */
    private static List<Object> conditions(Object policy, String wanted) {
        if (policy instanceof Map<?, ?> map) {
            Object action = map.get("Action");
            boolean allows = "Allow".equals(map.get("Effect")) && (action instanceof List<?> list
                    ? list.contains(wanted) : wanted.equals(action));
            if (allows) {
                return List.of(map.get("Condition") == null ? Map.of() : map.get("Condition"));
            }
            return map.values().stream().flatMap(value -> conditions(value, wanted).stream()).toList();
        }
        if (policy instanceof List<?> list) {
            return list.stream().flatMap(value -> conditions(value, wanted).stream()).toList();
        }
        return List.of();
    }
}
