package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every IAM statement that lets a function use KMS for a pepper also names which peppers
 * ({@code latchkey:owner}), in SAM and Terraform alike: a function that can read the whole table must still
 * not be able to open another function's pepper (the api-keys function never opens the refresh-token
 * pepper, the login function never the api-key pepper).
 */
class KmsPepperPolicyTest {

    private static final Pattern SAM_PEPPER = Pattern.compile(
            "kms:EncryptionContext:latchkey:purpose: pepper\\n\\s+kms:EncryptionContext:latchkey:owner: \\[([^\\]]+)]");
    private static final Pattern TF_PEPPER = Pattern.compile(
            "\"kms:EncryptionContext:latchkey:purpose\" = \"pepper\"\\n\\s+"
                    + "\"kms:EncryptionContext:latchkey:owner\"\\s+= \\[([^\\]]+)]");

    @Test
    @DisplayName("template.yaml: each pepper grant names its peppers, and only the ones each function uses")
    void samPepperGrantsNameTheirOwners() throws IOException {
        String template = Files.readString(TemplateYaml.repoRoot().resolve("template.yaml"));

        assertThat(count(template, "latchkey:purpose: pepper")).isEqualTo(count(template, SAM_PEPPER));
        assertThat(owners(template, SAM_PEPPER)).containsExactlyInAnyOrder("refresh-token",
                "refresh-token, api-key, client-secret", "api-key", "refresh-token, passkey-decoy",
                "api-key, client-secret");
    }

    @Test
    @DisplayName("terraform: each pepper grant names its peppers, the same as template.yaml")
    void terraformPepperGrantsNameTheirOwners() throws IOException {
        String functions = Files.readString(TemplateYaml.repoRoot().resolve("terraform/functions.tf"));

        assertThat(count(functions, "\"kms:EncryptionContext:latchkey:purpose\" = \"pepper\""))
                .isEqualTo(count(functions, TF_PEPPER));
        assertThat(owners(functions, TF_PEPPER).stream().map(o -> o.replace("\"", "")).toList())
                .containsExactlyInAnyOrder("refresh-token", "refresh-token, api-key, client-secret", "api-key",
                        "refresh-token, passkey-decoy", "api-key, client-secret");
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    private static int count(String text, Pattern pattern) {
        return owners(text, pattern).size();
    }

    private static List<String> owners(String text, Pattern pattern) {
        Matcher matcher = pattern.matcher(text);
        java.util.ArrayList<String> found = new java.util.ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
