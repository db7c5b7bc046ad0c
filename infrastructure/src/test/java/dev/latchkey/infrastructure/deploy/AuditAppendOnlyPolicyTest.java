package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Audit events are immutable (ASVS 16.4, issue #6): no route changes or deletes one, and IAM denies every function
 * {@code UpdateItem}, {@code DeleteItem} and {@code BatchWriteItem} on {@code AUDIT#} items — an explicit Deny,
 * which no Allow of the function's own policy can override — in SAM and in Terraform alike.
 */
class AuditAppendOnlyPolicyTest {

    private static final List<String> DENIED = List.of("dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem");

    @Test
    @DisplayName("template.yaml: one Deny policy on AUDIT# items, attached to every function")
    void samDeniesEveryFunctionChangingAuditEvents() {
        Map<String, Object> template = TemplateYaml.load();
        Map<String, Object> policy = SamTemplateTest.properties(SamTemplateTest.resource(template,
                "AuditAppendOnlyPolicy"));
        List<Map<String, Object>> statements = SamTemplateTest.list(SamTemplateTest.map(policy.get("PolicyDocument"))
                .get("Statement"));
        assertThat(statements).hasSize(1);
        Map<String, Object> deny = statements.get(0);
        assertThat(deny.get("Effect")).isEqualTo("Deny");
        assertThat(deny.get("Action")).isEqualTo(DENIED);
        assertThat(deny.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", List.of("LatchkeyTable", "Arn")));
        assertThat(deny.get("Condition")).isEqualTo(Map.of("ForAnyValue:StringLike",
                Map.of("dynamodb:LeadingKeys", List.of("AUDIT#*"))));

        var functions = SamTemplateTest.resourcesOfType(template, "AWS::Serverless::Function");
        assertThat(functions).hasSizeGreaterThanOrEqualTo(9);
        functions.forEach((name, function) -> assertThat(SamTemplateTest.list(SamTemplateTest.properties(function)
                .get("Policies")).stream().map(p -> (Object) p).toList())
                .as(name).contains(Map.of("Ref", "AuditAppendOnlyPolicy")));
    }

    @Test
    @DisplayName("terraform: the function module denies changing AUDIT# items, and every function passes the table")
    void terraformDeniesEveryFunctionChangingAuditEvents() throws IOException {
        Path terraform = TemplateYaml.repoRoot().resolve("terraform");
        String module = Files.readString(terraform.resolve("modules/function/main.tf"));
        String policy = module.substring(module.indexOf("resource \"aws_iam_role_policy\" \"audit_append_only\""));
        policy = policy.substring(0, policy.indexOf("\n}\n"));
        assertThat(policy).contains("role = aws_iam_role.this.id")
                .contains("Effect    = \"Deny\"")
                .contains("Action    = [\"dynamodb:UpdateItem\", \"dynamodb:DeleteItem\", \"dynamodb:BatchWriteItem\"]")
                .contains("Resource  = [var.table_arn]")
                .contains("Condition = { \"ForAnyValue:StringLike\" = { \"dynamodb:LeadingKeys\" = [\"AUDIT#*\"] } }");

        Map<String, Object> variables = SamTemplateTest.map(TerraformTest.parseModule(
                terraform.resolve("modules/function"), Map.of()).get("variable"));
        assertThat(SamTemplateTest.map(variables.get("table_arn"))).as("required: no default")
                .doesNotContainKey("default");

        // One module call, for_each over every declared function: each instance gets the table.
        Map<String, Object> modules = SamTemplateTest.map(TerraformTest.parseModule(terraform, Map.of())
                .get("module"));
        assertThat(modules).containsOnlyKeys("function");
        assertThat(String.valueOf(SamTemplateTest.map(modules.get("function")).get("table_arn")))
                .isEqualTo("aws_dynamodb_table.latchkey.arn");
    }
}
