package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.CorsPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 4: API Gateway's {@code CorsConfiguration} in {@code template.yaml} and {@code terraform/main.tf}
 * declares exactly the methods and headers of core's {@link CorsPolicy} (what the local server answers), takes the
 * origins from a parameter that is empty by default (CORS off), and never allows {@code *}.
 */
class CorsConfigurationParityTest {

    @Test
    void samCorsConfigurationWhenReadThenEqualsCorePolicyAndIsOffByDefault() {
        Map<String, Object> template = TemplateYaml.load();
        Map<String, Object> resources = SamTemplateTest.map(template.get("Resources"));
        Map<String, Object> api = SamTemplateTest.map(resources.get("LatchkeyApi"));
        Map<String, Object> properties = SamTemplateTest.map(api.get("Properties"));
        List<?> conditional = (List<?>) SamTemplateTest.map(properties.get("CorsConfiguration")).get("Fn::If");
        assertThat(conditional.get(0)).isEqualTo("HasCors");
        assertThat(conditional.get(2)).isEqualTo(Map.of("Ref", "AWS::NoValue"));
        Map<String, Object> cors = SamTemplateTest.map(conditional.get(1));
        assertThat(cors.get("AllowMethods")).isEqualTo(CorsPolicy.ALLOW_METHODS);
        assertThat(cors.get("AllowHeaders")).isEqualTo(CorsPolicy.ALLOW_HEADERS);
        assertThat(cors.get("ExposeHeaders")).isEqualTo(CorsPolicy.EXPOSE_HEADERS);
        assertThat(cors.get("MaxAge")).isEqualTo(Map.of("Ref", "CorsMaxAge"));
        assertThat(cors.get("AllowOrigins")).isEqualTo(Map.of("Fn::Split", List.of(",",
                Map.of("Ref", "CorsAllowedOrigins"))));

        Map<String, Object> parameters = SamTemplateTest.map(template.get("Parameters"));
        Map<String, Object> origins = SamTemplateTest.map(parameters.get("CorsAllowedOrigins"));
        assertThat(origins.get("Default")).isEqualTo("");
        Pattern allowed = Pattern.compile(String.valueOf(origins.get("AllowedPattern")));
        assertThat(allowed.matcher("https://app.example.com,http://localhost:5173").matches()).isTrue();
        assertThat(allowed.matcher("*").matches()).as("no wildcard").isFalse();
        assertThat(allowed.matcher("https://app.example.com/path").matches()).isFalse();
        assertThat(String.valueOf(SamTemplateTest.map(parameters.get("CorsMaxAge")).get("Default")))
                .isEqualTo(Long.toString(CorsPolicy.DEFAULT_MAX_AGE.toSeconds()));
        assertThat(SamTemplateTest.map(parameters.get("CorsAllowCredentials")).get("Default")).isEqualTo("false");
    }

    @Test
    void terraformCorsConfigurationWhenReadThenEqualsCorePolicyAndIsOffByDefault() throws IOException {
        String main = Files.readString(TemplateYaml.repoRoot().resolve("terraform/main.tf"));
        assertThat(main).contains("for_each = length(var.cors_allowed_origins) > 0 ? [1] : []")
                .contains("allow_origins     = var.cors_allowed_origins")
                .contains("max_age           = var.cors_max_age")
                .contains("allow_credentials = var.cors_allow_credentials");
        assertThat(list(main, "allow_methods")).isEqualTo(CorsPolicy.ALLOW_METHODS);
        assertThat(list(main, "allow_headers")).isEqualTo(CorsPolicy.ALLOW_HEADERS);
        assertThat(list(main, "expose_headers")).isEqualTo(CorsPolicy.EXPOSE_HEADERS);

        String variables = Files.readString(TemplateYaml.repoRoot().resolve("terraform/variables.tf"));
        assertThat(variables).contains("variable \"cors_allowed_origins\" {")
                .containsPattern("variable \"cors_max_age\" \\{[^}]*default     = "
                        + CorsPolicy.DEFAULT_MAX_AGE.toSeconds())
                .containsPattern("variable \"cors_allow_credentials\" \\{[^}]*default     = false");
    }

    /** The string list literal assigned to {@code name} (one line, as written). */
    private static List<String> list(String hcl, String name) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*=\\s*\\[([^\\]]*)\\]").matcher(hcl);
        assertThat(m.find()).as(name).isTrue();
        return Arrays.stream(m.group(1).split(",")).map(s -> s.trim().replace("\"", "")).toList();
    }
}
