package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A second, independent JOSE library (Nimbus) agrees with what we sign and publish, and we accept
 * what it signs (SECURITY.md "Tokens and JWKS": an independent verifier).
 */
class NimbusInteropTest {

    @Test
    void nimbusWhenVerifyingHundredIssuedTokensWithPublishedJwkThenAllValid() throws Exception {
        OpenedSigningKey key = TestKeys.opened();
        JWK published = JWK.parse(EcPublicJwk.of(key.publicKey()).toMap());
        ECDSAVerifier nimbus = new ECDSAVerifier((ECKey) published);
        SecureRandom random = new SecureRandom();

        for (int i = 0; i < 100; i++) {
            Instant now = TestKeys.NOW.plusSeconds(i * 37L);
            AccessTokenIssuer issuer = new AccessTokenIssuer(key, TestKeys.clockAt(now), random);
            AccessTokenClaims claims = issuer.newClaims(Duration.ofMinutes(15))
                    .issuer(TestKeys.ISSUER).subject("usr_" + i).audience(TestKeys.AUDIENCE)
                    .scope("openid", "org:read").clientId("cli_" + i).org("org_" + (i % 7)).sessionId("ses_" + i)
                    .amr(i % 2 == 0 ? List.of("pwd") : List.of("webauthn", "hwk")).authTime(now.minusSeconds(i))
                    .build();

            SignedJWT jwt = SignedJWT.parse(issuer.issue(claims));

            assertThat(jwt.verify(nimbus)).as("token %d", i).isTrue();
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
            assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.kid()).isEqualTo(published.getKeyID());
            assertThat(jwt.getHeader().getJWK()).isNull();
            assertThat(jwt.getHeader().getCustomParams()).isEmpty();
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            assertThat(set.getIssuer()).isEqualTo(TestKeys.ISSUER);
            assertThat(set.getSubject()).isEqualTo("usr_" + i);
            assertThat(set.getAudience()).containsExactly(TestKeys.AUDIENCE);
            assertThat(set.getIssueTime()).isEqualTo(Date.from(now));
            assertThat(set.getExpirationTime()).isEqualTo(Date.from(now.plusSeconds(900)));
            assertThat(set.getJWTID()).isEqualTo(claims.jwtId());
            assertThat(set.getStringClaim("scope")).isEqualTo("openid org:read");
            assertThat(set.getStringClaim("client_id")).isEqualTo("cli_" + i);
            assertThat(set.getStringClaim("org")).isEqualTo("org_" + (i % 7));
            assertThat(set.getStringClaim("sid")).isEqualTo("ses_" + i);
            assertThat(set.getStringListClaim("amr")).isEqualTo(claims.amr());
            assertThat(set.getDateClaim("auth_time")).isEqualTo(Date.from(now.minusSeconds(i)));
        }
    }

    @Test
    void nimbusWhenTokenTamperedThenRejectsIt() throws Exception {
        OpenedSigningKey key = TestKeys.opened();
        String token = new AccessTokenIssuer(key, TestKeys.clockAt(TestKeys.NOW), new SecureRandom())
                .issue(TestKeys.claims().build());
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Jws.segment("{\"sub\":\"usr_ADMIN\"}") + "." + parts[2];

        assertThat(SignedJWT.parse(forged).verify(new ECDSAVerifier(key.publicKey()))).isFalse();
    }

    @Test
    void ourVerifierWhenNimbusSignsAnAccessTokenThenAccepted() throws Exception {
        OpenedSigningKey key = TestKeys.opened();
        ECKey signingJwk = new ECKey.Builder(Curve.P_256, key.publicKey()).privateKey(key.privateKey())
                .keyID(key.kid()).build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
                .keyID(key.kid()).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(TestKeys.ISSUER).subject("usr_nimbus")
                .audience(TestKeys.AUDIENCE).issueTime(Date.from(TestKeys.NOW))
                .expirationTime(Date.from(TestKeys.NOW.plusSeconds(300))).jwtID("jti-nimbus")
                .claim("scope", "a b").build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(signingJwk));
        AccessTokenVerifier verifier = new AccessTokenVerifier(TestKeys.resolverOf(key), TestKeys.ISSUER,
                Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW));

        VerifiedAccessToken verified = verifier.verify(jwt.serialize());

        assertThat(verified.claims().subject()).isEqualTo("usr_nimbus");
        assertThat(verified.claims().scope()).containsExactly("a", "b");
        assertThat(verified.claims().expiresAt()).isEqualTo(TestKeys.NOW.plusSeconds(300));
    }

    @Test
    void nimbusWhenComputingThumbprintOfPublishedJwkThenEqualsKid() throws Exception {
        for (int i = 0; i < 10; i++) {
            OpenedSigningKey key = TestKeys.opened();
            JWK published = JWK.parse(EcPublicJwk.of(key.publicKey()).toMap());

            assertThat(published.computeThumbprint().toString()).isEqualTo(key.kid());
            assertThat(published.isPrivate()).isFalse();
            assertThat(published.toPublicJWK().toJSONObject()).isEqualTo(published.toJSONObject());
        }
    }
}
