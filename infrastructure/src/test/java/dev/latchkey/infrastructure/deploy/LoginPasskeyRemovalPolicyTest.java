package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 §3: a password reset may remove the passkeys added since a time, so the login function reads the user's
 * passkeys (a {@code Query} of {@code USER#<id>}) and deletes each with its credential-id lookup and audit event (one
 * {@code TransactWriteItems}, which needs the action of each part: {@code DeleteItem} twice, {@code PutItem}). Its
 * role must allow those on the table, in SAM and Terraform alike.
 */
class LoginPasskeyRemovalPolicyTest {

    private static final List<String> NEEDED = List.of("dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:PutItem");

    @Test
    @DisplayName("template.yaml: the login function may query and delete passkeys, and append their audit events")
    void samLoginRoleAllowsRemovingPasskeys() {
        List<Map<String, Object>> statements = SamTemplateTest.functionPolicyStatements(TemplateYaml.load()).stream()
                .filter(s -> "LoginFunction".equals(s.get("_function"))).toList();

        assertThat(statements).anySatisfy(statement -> {
            assertThat(statement).containsEntry("Effect", "Allow");
            assertThat(statement.get("Resource").toString()).contains("LatchkeyTable");
            assertThat(actions(statement)).containsAll(NEEDED);
        });
    }

    @Test
    @DisplayName("terraform: the login function may query and delete passkeys, the same as template.yaml")
    void terraformLoginRoleAllowsRemovingPasskeys() {
        Map<String, Object> login = TerraformTest.functionSettings(TemplateYaml.repoRoot().resolve("terraform"))
                .get("login");
        assertThat(login).as("local.function_settings.login").isNotNull();

        assertThat((Collection<?>) login.get("policy_statements")).anySatisfy(one -> {
            Map<String, Object> statement = SamTemplateTest.map(one);
            assertThat(statement).containsEntry("Effect", "Allow");
            assertThat(statement.get("Resource").toString()).contains("latchkey");
            assertThat(actions(statement)).containsAll(NEEDED);
        });
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof Collection<?> many ? many.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(action));
    }
}
