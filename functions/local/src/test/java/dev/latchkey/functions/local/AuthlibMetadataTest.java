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
 * Issue 12 §2: a Python client library accepts the live metadata. {@code tools/metadata/validate_authlib.py} runs
 * authlib's RFC 8414 validation ({@code AuthorizationServerMetadata.validate()}: every member) on the running local
 * server's {@code /.well-known/oauth-authorization-server} and its OpenID Connect Discovery validation on
 * {@code /.well-known/openid-configuration} (issue 15), checks the issuer, that no member is empty, and that the two
 * documents agree on every RFC 8414 member. Debian's {@code python3-authlib} is installed by
 * {@code .ci/run}, so under {@code CI=true} a missing authlib fails instead of skipping.
 */
class AuthlibMetadataTest {

    @TempDir
    Path dataDir;

    /** Debian's python (where {@code python3-authlib} installs), else whatever {@code python3} is first. */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static boolean authlibAvailable() {
        try {
            Process process = new ProcessBuilder(python(), "-c", "import authlib").start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void authlibWhenValidatingTheLiveAuthorizationServerMetadataThenValid() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(authlibAvailable(), "python3-authlib is not installed");
        }
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            String issuer = server.url().toString();
            assertThat(issuer).as("authlib accepts plain http only on localhost").startsWith("http://localhost:");
            Process process = new ProcessBuilder(List.of(python(),
                    Events.repositoryRoot().resolve("tools/metadata/validate_authlib.py").toString(), issuer))
                    .redirectErrorStream(true).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python finished").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("\"issuer\": \"" + issuer + "\"")
                    .contains("\"revocation_endpoint_auth_methods_supported\"")
                    .contains("\"userinfo_endpoint\": \"" + issuer + "/oauth/userinfo\"");
        }
    }
}
