package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.infrastructure.testing.Events;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Sign in with Latchkey" flow, verbatim: the {@code sh} block after the {@code oidc-flow} marker runs in
 * bash against the local server (register an application → discovery → the Spring Boot properties → an authorization
 * request with PKCE and {@code prompt=none} answered with {@code login_required} at the redirect URI).
 */
class OidcReadmeFlowTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    /** The README's {@code sh} block that follows the {@code oidc-flow} marker. */
    static String readmeBlock() throws Exception {
        String readme = Files.readString(Events.repositoryRoot().resolve("README.md"));
        int marker = readme.indexOf("<!-- oidc-flow");
        assertThat(marker).as("the README's oidc-flow marker").isPositive();
        int start = readme.indexOf("```sh\n", marker) + "```sh\n".length();
        int end = readme.indexOf("\n```", start);
        return readme.substring(start, end);
    }

    @Test
    void readmeOidcFlowWhenRunThenApplicationRegisteredDiscoveredAndPromptNoneAnswersLoginRequired()
            throws Exception {
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            String base = server.url().toString().replaceAll("/$", "");
            Path script = workDir.resolve("oidc-flow.sh");
            Files.writeString(script, "set -eu\n" + readmeBlock() + "\n");
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString())).directory(workDir.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("B", base);
            Process process = builder.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the flow finished").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(output).isZero();
            List<String> lines = output.lines().toList();
            assertThat(lines).as(output).hasSize(6);
            assertThat(lines.subList(0, 5)).as(output).containsExactly("issuer " + base,
                    "authorization_endpoint " + base + "/oauth/authorize", "token_endpoint " + base + "/oauth/token",
                    "userinfo_endpoint " + base + "/oauth/userinfo", "end_session_endpoint " + base + "/oauth/logout");
            URI answer = URI.create(lines.get(5));
            assertThat(answer.getScheme() + "://" + answer.getAuthority() + answer.getPath())
                    .isEqualTo("http://localhost:8080/login/oauth2/code/latchkey");
            assertThat(answer.getQuery()).contains("error=login_required").contains("state=af0ifjsld")
                    .contains("iss=" + base).doesNotContain("code=");

            String properties = Files.readString(workDir.resolve("latchkey.properties"));
            assertThat(properties).contains("provider.latchkey.issuer-uri=" + base + "\n")
                    .containsPattern("registration\\.latchkey\\.client-id=app_\\S+\n")
                    .containsPattern("registration\\.latchkey\\.client-secret=\\S+\n")
                    .contains("{baseUrl}/login/oauth2/code/{registrationId}");
            assertThat(Files.readString(InteropProcess.INTEROP.resolve(
                    "spring-oauth2-login/src/main/resources/application.properties")))
                    .as("the README's properties are the interop app's").contains(
                            "spring.security.oauth2.client.registration.latchkey.redirect-uri="
                                    + "{baseUrl}/login/oauth2/code/{registrationId}",
                            "spring.security.oauth2.client.registration.latchkey.scope=openid,profile,email");
        }
    }
}
