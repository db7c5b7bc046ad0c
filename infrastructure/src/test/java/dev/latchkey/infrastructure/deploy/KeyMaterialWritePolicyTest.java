package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Key material is written only by its owners (issue #19, item 4): every function trusts the keys jwks publishes, so
 * IAM denies every function but rotate-keys any write to the {@code SIGNING_KEY} partition; peppers ({@code SECRET})
 * are never changed or deleted by anyone, and created only by the functions whose KMS grants name a pepper. Explicit
 * Denies, which no Allow of a function's own policy can override, in SAM and in Terraform alike.
 */
class KeyMaterialWritePolicyTest {

    private static final String PURPOSE = "kms:EncryptionContext:latchkey:purpose";
    private static final List<String> SIGNING_KEY_DENIED = List.of("dynamodb:PutItem", "dynamodb:UpdateItem",
            "dynamodb:DeleteItem", "dynamodb:BatchWriteItem");
    private static final List<String> PEPPER_CHANGE_DENIED = List.of("dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem");
    private static final List<String> PEPPER_CREATE_DENIED = List.of("dynamodb:PutItem");

    @Test
    @DisplayName("template.yaml: only rotate-keys writes SIGNING_KEY, nobody changes a pepper, only owners create one")
    void whenAFunctionIsNotTheOwnerThenSamDeniesItWritingKeyMaterial() {
        Map<String, Object> template = TemplateYaml.load();
        assertDeny(template, "SigningKeyWriteDenyPolicy", SIGNING_KEY_DENIED, "SIGNING_KEY");
        assertDeny(template, "PepperWriteDenyPolicy", PEPPER_CHANGE_DENIED, "SECRET");
        assertDeny(template, "PepperCreateDenyPolicy", PEPPER_CREATE_DENIED, "SECRET");

        var functions = SamTemplateTest.resourcesOfType(template, "AWS::Serverless::Function");
        assertThat(functions).hasSizeGreaterThanOrEqualTo(9).containsKey("RotateKeysFunction");
        Set<String> pepperOwners = new TreeSet<>();
        functions.forEach((name, function) -> {
            Object policies = SamTemplateTest.properties(function).get("Policies");
            List<Object> refs = SamTemplateTest.list(policies).stream().map(p -> (Object) p).toList();
            assertThat(refs.contains(Map.of("Ref", "SigningKeyWriteDenyPolicy"))).as(name + " signing-key deny")
                    .isEqualTo(!"RotateKeysFunction".equals(name));
            assertThat(refs).as(name).contains(Map.of("Ref", "PepperWriteDenyPolicy"));
            boolean owner = grantsPepper(policies);
            if (owner) {
                pepperOwners.add(name);
            }
            assertThat(refs.contains(Map.of("Ref", "PepperCreateDenyPolicy"))).as(name + " pepper create deny")
                    .isEqualTo(!owner);
        });
        assertThat(pepperOwners).containsExactlyInAnyOrder("LoginFunction", "TokenFunction", "ApiKeysFunction",
                "PasskeyFunction", "OrgsFunction");
    }

    @Test
    @DisplayName("terraform: the function module has the same three Denies; rotate-keys and the pepper owners opt out")
    void whenAFunctionIsNotTheOwnerThenTerraformDeniesItWritingKeyMaterial() throws IOException {
        Path terraform = TemplateYaml.repoRoot().resolve("terraform");
        String module = Files.readString(terraform.resolve("modules/function/main.tf"));
        assertThat(resource(module, "signing_key_write_deny"))
                .contains("count = var.signing_key_writer ? 0 : 1")
                .contains("Action    = [\"dynamodb:PutItem\", \"dynamodb:UpdateItem\", \"dynamodb:DeleteItem\", "
                        + "\"dynamodb:BatchWriteItem\"]")
                .contains("\"dynamodb:LeadingKeys\" = [\"SIGNING_KEY\"]");
        assertThat(resource(module, "pepper_write_deny")).doesNotContain("count")
                .contains("Action    = [\"dynamodb:UpdateItem\", \"dynamodb:DeleteItem\", \"dynamodb:BatchWriteItem\"]")
                .contains("\"dynamodb:LeadingKeys\" = [\"SECRET\"]");
        assertThat(resource(module, "pepper_create_deny"))
                .contains("count = var.pepper_owner ? 0 : 1")
                .contains("Action    = [\"dynamodb:PutItem\"]")
                .contains("\"dynamodb:LeadingKeys\" = [\"SECRET\"]");
        for (String name : List.of("signing_key_write_deny", "pepper_write_deny", "pepper_create_deny")) {
            assertThat(resource(module, name)).as(name).containsPattern("role\\s+= aws_iam_role\\.this\\.id")
                    .contains("Effect    = \"Deny\"").contains("Resource  = [var.table_arn]")
                    .contains("\"ForAnyValue:StringLike\"");
        }

        Map<String, Map<String, Object>> settings = TerraformTest.functionSettings(terraform);
        assertThat(settings).hasSizeGreaterThanOrEqualTo(9);
        Set<String> pepperOwners = new TreeSet<>();
        settings.forEach((name, args) -> {
            boolean rotateKeys = "rotate-keys".equals(name);
            assertThat(args.get("signing_key_writer")).as(name).isEqualTo(rotateKeys ? Boolean.TRUE : null);
            boolean owner = grantsPepper(args.get("policy_statements"));
            if (owner) {
                pepperOwners.add(name);
            }
            assertThat(args.get("pepper_owner")).as(name).isEqualTo(owner ? Boolean.TRUE : null);
        });
        // Every instance gets the flags of its settings, over local.function_defaults (false: the Denies apply).
        String functions = Files.readString(terraform.resolve("functions.tf"));
        assertThat(functions).contains("pepper_owner       = each.value.pepper_owner")
                .contains("signing_key_writer = each.value.signing_key_writer")
                .contains("    pepper_owner       = false\n    signing_key_writer = false\n");
        assertThat(pepperOwners).containsExactlyInAnyOrder("login", "token", "api-keys", "passkey", "orgs");
    }

    private static void assertDeny(Map<String, Object> template, String policyName, List<String> actions,
            String partition) {
        Map<String, Object> policy = SamTemplateTest.properties(SamTemplateTest.resource(template, policyName));
        List<Map<String, Object>> statements = SamTemplateTest.list(SamTemplateTest.map(policy.get("PolicyDocument"))
                .get("Statement"));
        assertThat(statements).as(policyName).hasSize(1);
        Map<String, Object> deny = statements.get(0);
        assertThat(deny.get("Effect")).as(policyName).isEqualTo("Deny");
        assertThat(deny.get("Action")).as(policyName).isEqualTo(actions);
        assertThat(deny.get("Resource")).as(policyName)
                .isEqualTo(Map.of("Fn::GetAtt", List.of("LatchkeyTable", "Arn")));
        assertThat(deny.get("Condition")).as(policyName).isEqualTo(Map.of("ForAnyValue:StringLike",
                Map.of("dynamodb:LeadingKeys", List.of(partition))));
    }

    /** Whether a policy (any nesting of maps and lists) grants KMS with the encryption-context purpose "pepper". */
    private static boolean grantsPepper(Object policy) {
        if (policy instanceof Map<?, ?> map) {
            if ("pepper".equals(map.get(PURPOSE))) {
                return true;
            }
            return map.values().stream().anyMatch(KeyMaterialWritePolicyTest::grantsPepper);
        }
        if (policy instanceof List<?> list) {
            return list.stream().anyMatch(KeyMaterialWritePolicyTest::grantsPepper);
        }
        return false;
    }

    private static String resource(String module, String name) {
        String start = "resource \"aws_iam_role_policy\" \"" + name + "\"";
        assertThat(module).contains(start);
        String body = module.substring(module.indexOf(start));
        return body.substring(0, body.indexOf("\n}\n"));
    }
}
