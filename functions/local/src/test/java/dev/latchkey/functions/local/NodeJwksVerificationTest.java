package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A non-Java verifier (SECURITY.md "Tokens and JWKS"): {@code tools/jwt/verify.mjs}, Node's own crypto and nothing
 * else, the script the README's organization flow uses, fetches the running local server's JWKS and verifies a
 * resource token; it refuses a tampered one, a wrong audience, a wrong organization ({@code org}) and
 * {@code alg: none}. Node is a build requirement
 * (the Dynoxide emulator comes through npm), so under {@code CI=true} a missing node fails instead of skipping.
 */
class NodeJwksVerificationTest {

    private static final String AUDIENCE = "https://api.example.com";
    private static final String ORG = "org_01JD3ZK8W6Q4V8S2M9N7T5R3P1";

    @TempDir
    Path dataDir;

    private record Result(int exit, String output) {
    }

    private static Result node(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node",
                Events.repositoryRoot().resolve("tools/jwt/verify.mjs").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("node finished").isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }

    private static boolean nodeAvailable() {
        try {
            return new ProcessBuilder("node", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void nodeVerifiesAResourceTokenFromTheJwksUrlAloneAndRefusesForgeries() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(nodeAvailable(), "node is not installed");
        }
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString(), "LATCHKEY_ISSUER", LambdaHarness.ISSUER));
                DynamoDbClient client = DynamoDbClient.builder().endpointOverride(server.dynoxide().endpoint())
                        .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                        .build()) {
            var keys = new CurrentKeys(new DynamoDbKeyRingRepository(client, "latchkey"),
                    LocalKeyVault.fromKeyFile(dataDir.resolve("master.key"), new SecureRandom()), KeyPolicy.defaults(),
                    Clock.systemUTC(), Duration.ofSeconds(1));
            var issuer = new AccessTokenIssuer(keys.signingKey(), Clock.systemUTC(), new SecureRandom());
            String token = issuer.issue(issuer.newClaims(Duration.ofMinutes(15)).issuer(LambdaHarness.ISSUER)
                    .subject("cli_01JD40000000000000000000CL").clientId("cli_01JD40000000000000000000CL")
                    .audience(AUDIENCE).org(ORG).scope("read").build());
            String jwks = server.url() + "/.well-known/jwks.json";

            Result valid = node(jwks, token, LambdaHarness.ISSUER, AUDIENCE, ORG);
            assertThat(valid.exit()).as(valid.output()).isZero();
            assertThat(valid.output()).contains("\"valid\": true").contains("\"scope\": \"read\"")
                    .contains("\"sub\": \"cli_01JD40000000000000000000CL\"");

            String[] parts = token.split("\\.");
            Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
            String forgedClaims = encoder.encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]),
                    StandardCharsets.UTF_8).replace("\"read\"", "\"admin\"").getBytes(StandardCharsets.UTF_8));
            Result tampered = node(jwks, parts[0] + "." + forgedClaims + "." + parts[2]);
            assertThat(tampered.exit()).isEqualTo(1);
            assertThat(tampered.output()).contains("bad signature");

            Result wrongAudience = node(jwks, token, LambdaHarness.ISSUER, "https://other.example.com");
            assertThat(wrongAudience.exit()).isEqualTo(1);
            assertThat(wrongAudience.output()).contains("aud");

            Result wrongOrg = node(jwks, token, LambdaHarness.ISSUER, AUDIENCE, "org_01JD3ZK8W6Q4V8S2M9N7T5OTHR");
            assertThat(wrongOrg.exit()).isEqualTo(1);
            assertThat(wrongOrg.output()).contains("invalid: org " + ORG);

            String none = encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}"
                    .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
            Result unsigned = node(jwks, none);
            assertThat(unsigned.exit()).isEqualTo(1);
            assertThat(unsigned.output()).contains("alg none");
        }
    }
}
