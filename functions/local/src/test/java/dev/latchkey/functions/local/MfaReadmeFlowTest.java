package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.infrastructure.testing.Events;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's two-factor flow, verbatim: the {@code sh} block after the {@code mfa-flow} marker runs in bash against
 * the local server, with {@code oathtool} computing the codes as an authenticator app would (enrol → confirm →
 * mfa_required → code → replay 401 → recovery code → step-up removal 204). {@code oathtool} is installed by
 * {@code .ci/run}, so under {@code CI=true} a missing one fails instead of skipping.
 */
class MfaReadmeFlowTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    private static boolean oathtoolAvailable() {
        try {
            Process process = new ProcessBuilder("oathtool", "--version").start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The README's {@code sh} block that follows the {@code mfa-flow} marker. */
    static String readmeBlock() throws IOException {
        String readme = Files.readString(Events.repositoryRoot().resolve("README.md"));
        int marker = readme.indexOf("<!-- mfa-flow");
        assertThat(marker).as("the README's mfa-flow marker").isPositive();
        int start = readme.indexOf("```sh\n", marker) + "```sh\n".length();
        int end = readme.indexOf("\n```", start);
        return readme.substring(start, end);
    }

    @Test
    void readmeMfaFlowWhenRunWithOathtoolThenEveryStepAnswersAsDocumented() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(oathtoolAvailable(), "oathtool is not installed");
        }
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            String base = server.url().toString().replaceAll("/$", "");
            Path script = workDir.resolve("mfa-flow.sh");
            Files.writeString(script, "set -eu\n" + readmeBlock() + "\n");
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString())).directory(workDir.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("B", base);
            Process process = builder.start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the flow finished").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(output).isZero();
            List<String> lines = output.lines().toList();
            assertThat(lines).as(output).hasSize(4);
            assertThat(lines.get(0)).contains("\"enabled\":true").contains("\"recovery_codes_left\":10");
            assertThat(lines.get(1)).as("the replayed code").isEqualTo("401");
            assertThat(lines.get(2)).as("the recovery code's token response").isEqualTo("Bearer");
            assertThat(lines.get(3)).as("step-up removal").isEqualTo("204");
            assertThat(Files.readString(workDir.resolve("totp-qr.svg"))).startsWith("<svg ");
        }
    }
}
