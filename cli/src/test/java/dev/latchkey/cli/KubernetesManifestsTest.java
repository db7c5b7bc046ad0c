package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/kubernetes/} validates against the Kubernetes API schemas ({@code tools/kubernetes/validate.mjs}:
 * npm's kubernetes-models, generated from the upstream OpenAPI definitions), and the validator refuses a broken
 * manifest, so a pass means something. The build installs the validator ({@code npm install} in
 * {@code tools/kubernetes}, this module's {@code generate-test-resources}).
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static Result validate(Path target) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("node", "validate.mjs", target.toString())
                .directory(ROOT.resolve("tools/kubernetes").toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }

    @Test
    void manifestsWhenValidatedAgainstKubernetesSchemasThenEveryObjectPasses() throws Exception {
        Result result = validate(ROOT.resolve("deploy/kubernetes"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Deployment/latchkey", "Service/latchkey",
                "HorizontalPodAutoscaler/latchkey", "CronJob/latchkey-rotate-keys", "ServiceAccount/latchkey",
                "ConfigMap/latchkey", "Kustomization").doesNotContain("error ");
        String deployment = Files.readString(ROOT.resolve("deploy/kubernetes/deployment.yaml"));
        assertThat(deployment).contains("path: /health/live", "path: /health/ready", "readOnlyRootFilesystem: true",
                "runAsNonRoot: true");
        assertThat(Files.readString(ROOT.resolve("deploy/kubernetes/cronjob-rotate-keys.yaml")))
                .contains("dev.latchkey.cli.LatchkeyCli", "\"keys\", \"rotate\"");
    }

    @Test
    void validatorWhenManifestBrokenThenFailsNamingTheField(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(ROOT.resolve("deploy/kubernetes/deployment.yaml"))
                .replace("replicas: 2", "replicas: two"));
        Result result = validate(broken);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("error", "replicas");
    }
}
