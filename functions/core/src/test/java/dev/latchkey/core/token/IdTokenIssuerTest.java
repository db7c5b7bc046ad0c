package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.vault.InMemoryKeyVault;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ID tokens (OpenID Connect Core §2), RS256 with the ring's RSA key, checked by Nimbus as a relying party would. */
class IdTokenIssuerTest {

    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
    private final InMemoryKeyVault vault = new InMemoryKeyVault();
    private final SigningKey key = SigningKeys.generate(SigningAlgorithm.RS256, vault,
            Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
    private final IdTokenIssuer issuer = new IdTokenIssuer(SigningKeys.openRsa(key, vault));

    private IdTokenIssuer.Claims claims(Optional<String> nonce, Optional<String> accessToken) {
        return new IdTokenIssuer.Claims("https://id.example", "usr_1", "app_1", NOW, NOW.plusSeconds(300),
                NOW.minusSeconds(10), nonce, Optional.of("urn:latchkey:acr:pwd"), List.of("pwd"), "ses_1",
                accessToken, Map.of("email", "ada@example.com", "email_verified", true, "sub", "usr_forged"));
    }

    @Test
    void issueWhenVerifiedWithThePublishedJwkThenEveryOidcCoreSection2Claim() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.issue(claims(Optional.of("n-0S6_WzA2Mj"), Optional.of("at"))));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.kid());
        assertThat(jwt.verify(new RSASSAVerifier(RSAKey.parse(key.publicJwk().toMap())))).isTrue();
        JWTClaimsSet set = jwt.getJWTClaimsSet();
        assertThat(set.getIssuer()).isEqualTo("https://id.example");
        assertThat(set.getSubject()).as("a profile claim never overrides sub").isEqualTo("usr_1");
        assertThat(set.getAudience()).containsExactly("app_1");
        assertThat(set.getStringClaim("azp")).isEqualTo("app_1");
        assertThat(set.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(set.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(300));
        assertThat(set.getLongClaim("auth_time")).isEqualTo(NOW.minusSeconds(10).getEpochSecond());
        assertThat(set.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(set.getStringClaim("acr")).isEqualTo("urn:latchkey:acr:pwd");
        assertThat(set.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(set.getStringClaim("sid")).isEqualTo("ses_1");
        assertThat(set.getStringClaim("email")).isEqualTo("ada@example.com");
        assertThat(set.getBooleanClaim("email_verified")).isTrue();
        assertThat(set.getStringClaim("at_hash")).isEqualTo(IdTokenIssuer.atHash("at"));
    }

    /** OpenID Connect Core Appendix A.3: the published access token and its at_hash. */
    @Test
    void atHashWhenOidcCoreExampleThenPublishedValue() {
        assertThat(IdTokenIssuer.atHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"))
                .isEqualTo("77QmUPtjPfzWtF2AnpK9RQ");
    }

    @Test
    void idTokenWhenPresentedAsAnAccessTokenThenRejected() {
        String idToken = issuer.issue(claims(Optional.of("n"), Optional.empty()));
        AccessTokenVerifier verifier = new AccessTokenVerifier(kid -> Optional.empty(), "https://id.example",
                Set.of("app_1"), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(catchThrowableOfType(InvalidTokenException.class, () -> verifier.verify(idToken)).reason())
                .isEqualTo(InvalidTokenException.Reason.ALGORITHM_NOT_ALLOWED);
    }
}
