package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.latchkey.core.http.Json;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What the issuer writes, read back byte for byte (no verifier involved). */
class AccessTokenIssuerTest {

    private static OpenedSigningKey key;
    private static AccessTokenIssuer issuer;

    @BeforeAll
    static void openKey() {
        key = TestKeys.opened();
        issuer = new AccessTokenIssuer(key, TestKeys.clockAt(TestKeys.NOW), new SecureRandom());
    }

    private static JsonNode part(String token, int index) {
        return Json.mapper().readTree(Jws.unb64(token.split("\\.")[index]));
    }

    @Test
    void issueWhenCalledThenHeaderIsExactlyAlgTypKid() {
        String token = issuer.issue(TestKeys.claims().build());

        JsonNode header = part(token, 0);
        assertThat(header.propertyNames()).containsExactlyInAnyOrder("alg", "typ", "kid");
        assertThat(header.get("alg").asString()).isEqualTo("ES256");
        assertThat(header.get("typ").asString()).isEqualTo("JWT");
        assertThat(header.get("kid").asString()).isEqualTo(key.kid()).isEqualTo(issuer.kid());
    }

    /** LATCHKEY_ACCESS_TOKEN_TYPE=at+jwt: RFC 9068 §2.1's explicit type, nothing else changes. */
    @Test
    void issueWhenTypeAtJwtThenHeaderTypIsAtJwt() {
        AccessTokenIssuer typed = new AccessTokenIssuer(key, AccessTokenType.AT_JWT,
                TestKeys.clockAt(TestKeys.NOW), new SecureRandom());

        JsonNode header = part(typed.issue(TestKeys.claims().build()), 0);

        assertThat(header.propertyNames()).containsExactlyInAnyOrder("alg", "typ", "kid");
        assertThat(header.get("typ").asString()).isEqualTo("at+jwt");
        assertThat(typed.type()).isEqualTo(AccessTokenType.AT_JWT);
        assertThat(issuer.type()).isEqualTo(AccessTokenType.JWT);
    }

    @Test
    void fromConfigWhenJwtOrAtJwtInAnyCaseThenTypeElseEmpty() {
        assertThat(AccessTokenType.fromConfig("JWT")).contains(AccessTokenType.JWT);
        assertThat(AccessTokenType.fromConfig("jwt")).contains(AccessTokenType.JWT);
        assertThat(AccessTokenType.fromConfig("at+jwt")).contains(AccessTokenType.AT_JWT);
        assertThat(AccessTokenType.fromConfig("AT+JWT")).contains(AccessTokenType.AT_JWT);
        assertThat(AccessTokenType.fromConfig("application/at+jwt")).isEmpty();
        assertThat(AccessTokenType.fromConfig("at_jwt")).isEmpty();
    }

    @Test
    void issueWhenAllClaimsThenPayloadCarriesThemUnderJwtNames() {
        String token = issuer.issue(TestKeys.claims()
                .audience("aud-1", "aud-2")
                .scope("openid", "org:read")
                .clientId("cli_1").org("org_1").sessionId("ses_1")
                .amr("pwd", "otp").authTime(TestKeys.NOW.minusSeconds(60))
                .build());

        JsonNode payload = part(token, 1);
        assertThat(payload.propertyNames()).containsExactlyInAnyOrder(
                "iss", "sub", "aud", "exp", "iat", "jti", "scope", "client_id", "org", "sid", "amr", "auth_time");
        assertThat(payload.get("iss").asString()).isEqualTo(TestKeys.ISSUER);
        assertThat(payload.get("sub").asString()).isEqualTo("usr_01JXAMPLE0000000000000000");
        assertThat(payload.get("aud").isArray()).isTrue();
        assertThat(payload.get("aud").get(1).asString()).isEqualTo("aud-2");
        assertThat(payload.get("iat").isIntegralNumber()).isTrue();
        assertThat(payload.get("iat").asLong()).isEqualTo(TestKeys.NOW.getEpochSecond());
        assertThat(payload.get("exp").asLong()).isEqualTo(TestKeys.NOW.getEpochSecond() + 900);
        assertThat(payload.get("jti").asString()).isEqualTo("jti-0001");
        assertThat(payload.get("scope").asString()).isEqualTo("openid org:read");
        assertThat(payload.get("client_id").asString()).isEqualTo("cli_1");
        assertThat(payload.get("org").asString()).isEqualTo("org_1");
        assertThat(payload.get("sid").asString()).isEqualTo("ses_1");
        assertThat(payload.get("amr").get(0).asString()).isEqualTo("pwd");
        assertThat(payload.get("auth_time").isIntegralNumber()).isTrue();
        assertThat(payload.get("auth_time").asLong()).isEqualTo(TestKeys.NOW.getEpochSecond() - 60);
    }

    @Test
    void issueWhenOptionalClaimsAbsentThenOmitted() {
        String token = issuer.issue(TestKeys.claims().build());

        assertThat(part(token, 1).propertyNames()).containsExactlyInAnyOrder("iss", "sub", "aud", "exp", "iat", "jti");
    }

    @Test
    void issueWhenSingleAudienceThenWrittenAsString() {
        assertThat(part(issuer.issue(TestKeys.claims().build()), 1).get("aud").isString()).isTrue();
    }

    @Test
    void issueWhenCalledThenSignatureIsSixtyFourBytesRs() {
        String token = issuer.issue(TestKeys.claims().build());

        assertThat(token.split("\\.", -1)).hasSize(3);
        assertThat(token.split("\\.")[2]).hasSize(86);
        assertThat(Jws.unb64(token.split("\\.")[2])).hasSize(64);
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    @Test
    void newClaimsWhenCalledThenIssuedNowExpiringAfterLifetimeWithRandomJti() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            AccessTokenClaims claims = issuer.newClaims(Duration.ofMinutes(15))
                    .issuer(TestKeys.ISSUER).subject("usr_1").audience(TestKeys.AUDIENCE).build();

            assertThat(claims.issuedAt()).isEqualTo(TestKeys.NOW);
            assertThat(claims.expiresAt()).isEqualTo(TestKeys.NOW.plus(Duration.ofMinutes(15)));
            assertThat(claims.jwtId()).hasSize(22).matches("[A-Za-z0-9_-]+");
            ids.add(claims.jwtId());
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void newClaimsWhenLifetimeNotPositiveThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> issuer.newClaims(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> issuer.newClaims(Duration.ofSeconds(-1)));
    }

    @Test
    @DisplayName("the same claims twice: the same token (RFC 6979's deterministic nonce), valid")
    void issueWhenSameClaimsTwiceThenSameDeterministicSignatureValid() {
        AccessTokenClaims claims = TestKeys.claims().build();
        AccessTokenVerifier verifier = new AccessTokenVerifier(TestKeys.resolverOf(key), TestKeys.ISSUER,
                Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW));

        String first = issuer.issue(claims);
        String second = issuer.issue(claims);

        assertThat(first).isEqualTo(second);
        assertThat(verifier.verify(first).claims()).isEqualTo(claims);
    }
}
