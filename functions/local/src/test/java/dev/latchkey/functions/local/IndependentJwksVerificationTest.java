package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.net.URL;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * An independent verifier (Nimbus JOSE+JWT) that knows only the running local server's JWKS URL
 * verifies 1,000 access tokens, half signed before and half after a key rotation (SECURITY.md
 * "Tokens and JWKS"): a new key is published before it signs, and the previous key's tokens keep
 * verifying.
 */
class IndependentJwksVerificationTest {

    private static final int TOKENS_PER_KEY = 500;

    @TempDir
    Path dataDir;

    @Test
    void nimbusVerifiesThousandTokensAcrossAKeyRotationFromTheJwksUrlAlone() throws Exception {
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString(), "LATCHKEY_ISSUER", LambdaHarness.ISSUER));
                DynamoDbClient client = DynamoDbClient.builder().endpointOverride(server.dynoxide().endpoint())
                        .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                        .build()) {
            var ring = new DynamoDbKeyRingRepository(client, "latchkey");
            var vault = LocalKeyVault.fromKeyFile(dataDir.resolve("master.key"), new SecureRandom());
            var nimbus = verifier(new URL(server.url() + "/.well-known/jwks.json"));

            List<String> beforeRotation = issue(new CurrentKeys(ring, vault, KeyPolicy.defaults(), Clock.systemUTC(),
                    Duration.ofSeconds(1)));
            for (String token : beforeRotation) {
                assertThat(nimbus.process(token, null).getSubject()).isEqualTo("usr_interop");
            }

            // A rotation pass 31 days from now promotes the key that JWKS has published since start-up.
            var later = new MutableClock(Instant.now().plus(Duration.ofDays(31)));
            var report = new RotateSigningKeys(ring, vault, KeyPolicy.defaults(), new InMemoryAuditLog(later),
                    new SortableIdGenerator(later, new SecureRandom()), later, new SecureRandom()).run("interop");
            assertThat(report.activated()).isPresent();
            assertThat(report.retired()).isPresent();

            List<String> afterRotation = issue(new CurrentKeys(ring, vault, KeyPolicy.defaults(), Clock.systemUTC(),
                    Duration.ofSeconds(1)));
            assertThat(afterRotation.get(0)).isNotEqualTo(beforeRotation.get(0));
            List<String> all = new ArrayList<>(beforeRotation);
            all.addAll(afterRotation);
            for (String token : all) {
                var claims = nimbus.process(token, null);
                assertThat(claims.getIssuer()).isEqualTo(LambdaHarness.ISSUER);
            }
            assertThat(all).hasSize(2 * TOKENS_PER_KEY);
        }
    }

    private static List<String> issue(CurrentKeys keys) {
        var issuer = new AccessTokenIssuer(keys.signingKey(), Clock.systemUTC(), new SecureRandom());
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < TOKENS_PER_KEY; i++) {
            tokens.add(issuer.issue(issuer.newClaims(Duration.ofMinutes(15)).issuer(LambdaHarness.ISSUER)
                    .subject("usr_interop").audience(LambdaHarness.ISSUER).amr("pwd").build()));
        }
        return tokens;
    }

    private static DefaultJWTProcessor<SecurityContext> verifier(URL jwksUrl) {
        // Generous HTTP timeouts (Nimbus's default read timeout is 500 ms): a loaded build machine is slow.
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwksUrl,
                new DefaultResourceRetriever(5_000, 5_000)).retrying(false).build();
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(LambdaHarness.ISSUER,
                new JWTClaimsSet.Builder().issuer(LambdaHarness.ISSUER).build(), Set.of("sub", "exp", "iat", "jti")));
        return processor;
    }
}
