package dev.latchkey.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.token.Base64Url;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link ClientAssertions}: RFC 7523 §3 client assertions, EdDSA and ES256, and the attacks on them. */
class ClientAssertionsTest {

    private static final Instant T0 = Instant.parse("2025-03-12T10:15:30Z");
    private static final String ISSUER = "https://auth.example.test";
    private static final String TOKEN_ENDPOINT = ISSUER + "/oauth/token";
    private static final Set<String> AUDIENCES = Set.of(TOKEN_ENDPOINT, ISSUER);
    private static final String CLIENT = "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P1";
    private static final String OTHER_CLIENT = "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P2";

    private final MutableClock clock = new MutableClock(T0);
    private final ClientAssertions assertions = new ClientAssertions(clock);
    private final KeyPair ed = AssertionSigner.ed25519();
    private final KeyPair ec = AssertionSigner.p256();
    private final ClientKey edKey = AssertionSigner.clientKey("ck_01JD3ZK8W6Q4V8S2M9N7T5R3P1", "ed-1", ed, T0);
    private final ClientKey ecKey = AssertionSigner.clientKey("ck_01JD3ZK8W6Q4V8S2M9N7T5R3P2", "ec-1", ec, T0);

    private ServiceClient client(ClientKey... keys) {
        return new ServiceClient(CLIENT, "org_01JD3ZK8W6Q4V8S2M9N7T5R3P1", "worker", List.of(), T0, "usr_test",
                List.of(), List.of(keys), 0);
    }

    private ClientAssertion verify(String assertion, ServiceClient client) {
        return assertions.verify(ClientAssertions.parse(assertion), client, AUDIENCES);
    }

    private void assertRefused(ClientAuthenticationFailure reason, Executable executable) {
        assertThatThrownBy(executable::execute).isInstanceOfSatisfying(ClientAuthenticationException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).isEqualTo(ClientAuthenticationException.MESSAGE);
        });
    }

    @Test
    @DisplayName("RFC 7523 §3: an Ed25519 assertion with kid verifies; the key id and jti come back")
    void verifyWhenEdDsaThenAccepted() {
        Map<String, Object> claims = AssertionSigner.claims(CLIENT, TOKEN_ENDPOINT, T0);

        ClientAssertion verified = verify(AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), claims),
                client(ecKey, edKey));

        assertThat(verified.clientId()).isEqualTo(CLIENT);
        assertThat(verified.keyId()).isEqualTo(edKey.keyId());
        assertThat(verified.jwtId()).isEqualTo(claims.get("jti"));
        assertThat(verified.expiresAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    @DisplayName("RFC 7518 §3.4: an ES256 assertion (r‖s) verifies; aud may be the issuer, as an array")
    void verifyWhenEs256AndIssuerAudienceThenAccepted() {
        Map<String, Object> claims = AssertionSigner.claims(CLIENT, ISSUER, T0);
        claims.put("aud", List.of("https://elsewhere.example", ISSUER));

        assertThat(verify(AssertionSigner.sign(ec, AssertionSigner.header(ec, "ec-1"), claims), client(edKey, ecKey))
                .keyId()).isEqualTo(ecKey.keyId());
    }

    @Test
    @DisplayName("without kid every usable key of the header's alg is tried")
    void verifyWhenNoKidThenUsableKeysOfThatAlgorithmTried() {
        KeyPair older = AssertionSigner.ed25519();
        ClientKey olderKey = AssertionSigner.clientKey("ck_01JD3ZK8W6Q4V8S2M9N7T5R3P3", "ed-0", older, T0);
        Map<String, Object> header = Map.of("alg", "EdDSA", "typ", "JWT");

        assertThat(verify(AssertionSigner.sign(ed, header, AssertionSigner.claims(CLIENT, ISSUER, T0)),
                client(olderKey, edKey)).keyId()).isEqualTo(edKey.keyId());
    }

    @Test
    @DisplayName("RFC 9864 §2.2: alg Ed25519 (what oauth4webapi/openid-client send) is EdDSA on an Ed25519 key")
    void verifyWhenFullySpecifiedEd25519ThenAcceptedAsEdDsa() {
        Map<String, Object> header = Map.of("alg", "Ed25519", "kid", "ed-1", "typ", "JWT");
        String assertion = AssertionSigner.sign(ed, header, AssertionSigner.claims(CLIENT, ISSUER, T0));

        assertThat(ClientAssertions.parse(assertion).algorithm()).isEqualTo(ClientAssertions.EDDSA);
        assertThat(verify(assertion, client(ecKey, edKey)).keyId()).isEqualTo(edKey.keyId());
    }

    @Test
    @DisplayName("[attack] alg Ed25519 over a P-256 key's signature → no usable key (the name never reaches ECDSA)")
    void verifyWhenEd25519NameOnEcKeyThenNoUsableKey() {
        Map<String, Object> header = Map.of("alg", "Ed25519", "kid", "ec-1");
        String assertion = AssertionSigner.sign(ec, header, AssertionSigner.claims(CLIENT, ISSUER, T0));

        assertRefused(ClientAuthenticationFailure.NO_USABLE_KEY, () -> verify(assertion, client(ecKey)));
    }

    @Test
    @DisplayName("RFC 8037 §A.4: the Ed25519 JWS test vector verifies through the JDK, and fails when altered")
    void rfc8037KnownAnswer() {
        byte[] x = Base64Url.decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").orElseThrow();
        byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(x));
        ClientKey key = new ClientKey("ck_01JD3ZK8W6Q4V8S2M9N7T5R3P4", "rfc8037", "EdDSA", spki, T0, "usr_test",
                Optional.empty(), Optional.empty());
        String input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
        byte[] signature = Base64Url.decode("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g"
                + "7sVvpAr_MuM0KAg").orElseThrow();

        assertThat(ClientAssertions.signatureVerifies(parsed("EdDSA", input, signature), key)).isTrue();
        signature[0] ^= 1;
        assertThat(ClientAssertions.signatureVerifies(parsed("EdDSA", input, signature), key)).isFalse();
        assertThat(ClientAssertions.signatureVerifies(parsed("EdDSA", input.replace("RXhh", "RXhi"),
                Base64Url.decode("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_M"
                        + "uM0KAg").orElseThrow()), key)).isFalse();
    }

    private static ParsedAssertion parsed(String alg, String input, byte[] signature) {
        return new ParsedAssertion(alg, Optional.empty(), CLIENT, CLIENT, List.of(ISSUER), 1, Optional.empty(),
                Optional.empty(), "jti", input.getBytes(java.nio.charset.StandardCharsets.US_ASCII), signature);
    }

    @Test
    @DisplayName("[attack] alg none, with or without a signature → ALGORITHM_NOT_ALLOWED")
    void parseWhenAlgNoneThenRefused() {
        Map<String, Object> claims = AssertionSigner.claims(CLIENT, ISSUER, T0);
        assertRefused(ClientAuthenticationFailure.ALGORITHM_NOT_ALLOWED,
                () -> ClientAssertions.parse(AssertionSigner.unsigned(Map.of("alg", "none"), claims, new byte[0])));
        assertRefused(ClientAuthenticationFailure.ALGORITHM_NOT_ALLOWED,
                () -> ClientAssertions.parse(AssertionSigner.unsigned(Map.of("alg", "NONE"), claims, new byte[64])));
        assertRefused(ClientAuthenticationFailure.ALGORITHM_NOT_ALLOWED,
                () -> ClientAssertions.parse(AssertionSigner.unsigned(Map.of("alg", "RS256"), claims, new byte[256])));
    }

    @Test
    @DisplayName("[attack] alg HS256 keyed with the registered public key → ALGORITHM_NOT_ALLOWED")
    void parseWhenHs256WithPublicKeyAsSecretThenRefused() throws Exception {
        Map<String, Object> header = Map.of("alg", "HS256", "kid", "ed-1");
        Map<String, Object> claims = AssertionSigner.claims(CLIENT, ISSUER, T0);
        String unsigned = AssertionSigner.unsigned(header, claims, new byte[0]);
        String input = unsigned.substring(0, unsigned.length() - 1);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(ed.getPublic().getEncoded(), "HmacSHA256"));
        String forged = AssertionSigner.unsigned(header, claims,
                mac.doFinal(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

        assertRefused(ClientAuthenticationFailure.ALGORITHM_NOT_ALLOWED, () -> verify(forged, client(edKey)));
    }

    @Test
    @DisplayName("[attack] a header that carries its own key (jwk, jku, x5c) or crit → UNSUPPORTED_HEADER")
    void parseWhenEmbeddedKeyThenRefused() {
        Map<String, Object> claims = AssertionSigner.claims(CLIENT, ISSUER, T0);
        for (String name : List.of("jwk", "jku", "x5u", "x5c", "crit", "zip")) {
            assertRefused(ClientAuthenticationFailure.UNSUPPORTED_HEADER, () -> ClientAssertions.parse(
                    AssertionSigner.sign(ed, Map.of("alg", "EdDSA", name, "x"), claims)));
        }
    }

    @Test
    @DisplayName("an access token (typ at+jwt) is never an assertion")
    void parseWhenAccessTokenTypeThenRefused() {
        assertRefused(ClientAuthenticationFailure.WRONG_TYPE, () -> ClientAssertions.parse(AssertionSigner.sign(ed,
                Map.of("alg", "EdDSA", "typ", "at+jwt"), AssertionSigner.claims(CLIENT, ISSUER, T0))));
    }

    @Test
    @DisplayName("malformed: not three segments, padded base64, duplicate keys, missing or mistyped claims")
    void parseWhenMalformedThenRefused() {
        String good = AssertionSigner.sign(ed, "ed-1", CLIENT, ISSUER, T0);
        for (String bad : List.of("", "a.b", good + ".x", good + "=", "x".repeat(9000))) {
            assertRefused(ClientAuthenticationFailure.MALFORMED_ASSERTION, () -> ClientAssertions.parse(bad));
        }
        String duplicate = Base64Url.encode("{\"alg\":\"EdDSA\",\"alg\":\"ES256\"}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        assertRefused(ClientAuthenticationFailure.MALFORMED_ASSERTION,
                () -> ClientAssertions.parse(duplicate + good.substring(good.indexOf('.'))));
        for (String claim : List.of("iss", "sub", "aud", "exp", "jti")) {
            Map<String, Object> claims = AssertionSigner.claims(CLIENT, ISSUER, T0);
            claims.remove(claim);
            assertRefused(ClientAuthenticationFailure.MALFORMED_ASSERTION,
                    () -> ClientAssertions.parse(AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), claims)));
        }
        Map<String, Object> stringExp = AssertionSigner.claims(CLIENT, ISSUER, T0);
        stringExp.put("exp", "1741774590");
        assertRefused(ClientAuthenticationFailure.MALFORMED_ASSERTION,
                () -> ClientAssertions.parse(AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), stringExp)));
    }

    @Test
    @DisplayName("[attack] wrong aud (another server, the resource) → WRONG_AUDIENCE")
    void verifyWhenWrongAudienceThenRefused() {
        assertRefused(ClientAuthenticationFailure.WRONG_AUDIENCE, () -> verify(
                AssertionSigner.sign(ed, "ed-1", CLIENT, "https://api.example.com", T0), client(edKey)));
        assertRefused(ClientAuthenticationFailure.WRONG_AUDIENCE, () -> verify(
                AssertionSigner.sign(ed, "ed-1", CLIENT, ISSUER + "/", T0), client(edKey)));
    }

    @Test
    @DisplayName("[attack] expired → EXPIRED; exp beyond the default hour → LIFETIME_TOO_LONG; iat/nbf ahead → "
            + "NOT_YET_VALID")
    void verifyWhenTimesWrongThenRefused() {
        String assertion = AssertionSigner.sign(ed, "ed-1", CLIENT, ISSUER, T0);
        clock.advance(Duration.ofSeconds(60));
        assertRefused(ClientAuthenticationFailure.EXPIRED, () -> verify(assertion, client(edKey)));
        clock.set(T0);

        Map<String, Object> longLived = AssertionSigner.claims(CLIENT, ISSUER, T0);
        longLived.put("exp", T0.getEpochSecond() + 3601);
        assertRefused(ClientAuthenticationFailure.LIFETIME_TOO_LONG, () -> verify(
                AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), longLived), client(edKey)));
        longLived.put("exp", T0.getEpochSecond() + 3600);
        assertThat(verify(AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), longLived), client(edKey)))
                .as("one hour, authlib's default lifetime").isNotNull();
        longLived.remove("iat");
        longLived.put("exp", T0.getEpochSecond() + 3601);
        assertRefused(ClientAuthenticationFailure.LIFETIME_TOO_LONG, () -> verify(
                AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), longLived), client(edKey)));

        Map<String, Object> future = AssertionSigner.claims(CLIENT, ISSUER, T0.plusSeconds(61));
        assertRefused(ClientAuthenticationFailure.NOT_YET_VALID, () -> verify(
                AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), future), client(edKey)));
        Map<String, Object> skewed = AssertionSigner.claims(CLIENT, ISSUER, T0.plusSeconds(60));
        assertThat(verify(AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), skewed), client(edKey)))
                .as("60 s of clock skew are tolerated").isNotNull();
        Map<String, Object> notBefore = AssertionSigner.claims(CLIENT, ISSUER, T0);
        notBefore.put("nbf", T0.getEpochSecond() + 61);
        assertRefused(ClientAuthenticationFailure.NOT_YET_VALID, () -> verify(
                AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), notBefore), client(edKey)));
    }

    @Test
    @DisplayName("[attack] iss ≠ sub, or another client's id → WRONG_SUBJECT")
    void verifyWhenSubjectDiffersThenRefused() {
        Map<String, Object> claims = AssertionSigner.claims(CLIENT, ISSUER, T0);
        claims.put("sub", OTHER_CLIENT);
        assertRefused(ClientAuthenticationFailure.WRONG_SUBJECT, () -> verify(
                AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), claims), client(edKey)));
        assertRefused(ClientAuthenticationFailure.WRONG_SUBJECT, () -> verify(
                AssertionSigner.sign(ed, "ed-1", OTHER_CLIENT, ISSUER, T0), client(edKey)));
    }

    @Test
    @DisplayName("[attack] signed with another client's key (same kid) → BAD_SIGNATURE")
    void verifyWhenKeyOfAnotherClientThenBadSignature() {
        KeyPair foreign = AssertionSigner.ed25519();

        assertRefused(ClientAuthenticationFailure.BAD_SIGNATURE, () -> verify(
                AssertionSigner.sign(foreign, "ed-1", CLIENT, ISSUER, T0), client(edKey)));
        assertRefused(ClientAuthenticationFailure.NO_USABLE_KEY, () -> verify(
                AssertionSigner.sign(foreign, "foreign", CLIENT, ISSUER, T0), client(edKey)));
    }

    @Test
    @DisplayName("[attack] alg of the header ≠ the key's (EdDSA header, P-256 key) → NO_USABLE_KEY")
    void verifyWhenAlgorithmDoesNotMatchKeyThenRefused() {
        Map<String, Object> header = Map.of("alg", "EdDSA", "kid", "ec-1");
        assertRefused(ClientAuthenticationFailure.NO_USABLE_KEY, () -> verify(
                AssertionSigner.sign(ed, header, AssertionSigner.claims(CLIENT, ISSUER, T0)), client(ecKey)));
    }

    @Test
    @DisplayName("[attack] a revoked key, or its kid, or an expired certificate → NO_USABLE_KEY")
    void verifyWhenKeyRevokedThenRefused() {
        ClientKey revoked = new ClientKey(edKey.keyId(), edKey.kid(), edKey.algorithm(), edKey.subjectPublicKeyInfo(),
                T0, "usr_test", Optional.empty(), Optional.of(T0));
        ClientKey expired = new ClientKey(edKey.keyId(), edKey.kid(), edKey.algorithm(), edKey.subjectPublicKeyInfo(),
                T0, "usr_test", Optional.of(T0), Optional.empty());
        String withKid = AssertionSigner.sign(ed, "ed-1", CLIENT, ISSUER, T0);
        String withoutKid = AssertionSigner.sign(ed, Map.of("alg", "EdDSA"), AssertionSigner.claims(CLIENT, ISSUER,
                T0));

        assertRefused(ClientAuthenticationFailure.NO_USABLE_KEY, () -> verify(withKid, client(revoked)));
        assertRefused(ClientAuthenticationFailure.NO_USABLE_KEY, () -> verify(withoutKid, client(revoked, ecKey)));
        assertRefused(ClientAuthenticationFailure.NO_USABLE_KEY, () -> verify(withKid, client(expired)));
    }

    @Test
    @DisplayName("[attack] ES256 with r or s zero or ≥ n (CVE-2022-21449), or a DER signature → BAD_SIGNATURE")
    void verifyWhenEs256SignatureOutOfRangeThenRefused() {
        String good = AssertionSigner.sign(ec, "ec-1", CLIENT, ISSUER, T0);
        String input = good.substring(0, good.lastIndexOf('.') + 1);
        byte[] order = dev.latchkey.core.token.P256.order().toByteArray();
        byte[] high = new byte[64];
        System.arraycopy(order, order.length - 32, high, 0, 32);
        System.arraycopy(order, order.length - 32, high, 32, 32);
        for (byte[] signature : List.of(new byte[64], high, new byte[72])) {
            assertRefused(ClientAuthenticationFailure.BAD_SIGNATURE, () -> verify(input
                    + Base64Url.encode(signature), client(ecKey)));
        }
    }

    @Test
    @DisplayName("issue 12 §3: the maximum lifetime is configurable; exp − iat up to it passes, one second more fails")
    void checkClaimsWhenConfiguredMaximumThenLifetimeBoundedByIt() {
        ClientAssertions tenMinutes = new ClientAssertions(clock, Duration.ofMinutes(10));
        Map<String, Object> claims = AssertionSigner.claims(CLIENT, ISSUER, T0);
        claims.put("exp", T0.getEpochSecond() + 600);
        String ok = AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), claims);
        claims.put("exp", T0.getEpochSecond() + 601);
        String tooLong = AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), claims);

        assertThat(tenMinutes.verify(ClientAssertions.parse(ok), client(edKey), AUDIENCES)).isNotNull();
        assertRefused(ClientAuthenticationFailure.LIFETIME_TOO_LONG,
                () -> tenMinutes.checkClaims(ClientAssertions.parse(tooLong), AUDIENCES));
        assertThat(tenMinutes.maxLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(assertions.maxLifetime()).isEqualTo(ClientAssertions.DEFAULT_MAX_LIFETIME)
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void constructorWhenMaxLifetimeOutOfRangeThenRejected() {
        for (Duration bad : List.of(Duration.ofSeconds(59), Duration.ofDays(1).plusSeconds(1),
                Duration.ofMillis(60_500), Duration.ZERO)) {
            assertThatThrownBy(() -> new ClientAssertions(clock, bad)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @DisplayName("issue 12 §3: aud = the endpoint called is accepted by exact match; near misses are WRONG_AUDIENCE")
    void checkClaimsWhenAudienceIsTheCalledEndpointThenExactMatchOnly() {
        String introspection = ISSUER + "/oauth/introspect";
        Set<String> atIntrospection = Set.of(ISSUER, TOKEN_ENDPOINT, introspection);

        assertions.checkClaims(ClientAssertions.parse(AssertionSigner.sign(ed, "ed-1", CLIENT, introspection, T0)),
                atIntrospection);
        for (String near : List.of(introspection + "/", introspection.toUpperCase(java.util.Locale.ROOT),
                introspection + "?x=1", "http://auth.example.test/oauth/introspect", ISSUER + "/oauth/revoke",
                ISSUER + "/oauth")) {
            assertRefused(ClientAuthenticationFailure.WRONG_AUDIENCE, () -> assertions.checkClaims(
                    ClientAssertions.parse(AssertionSigner.sign(ed, "ed-1", CLIENT, near, T0)), atIntrospection));
        }
        assertRefused(ClientAuthenticationFailure.WRONG_AUDIENCE, () -> assertions.checkClaims(
                ClientAssertions.parse(AssertionSigner.sign(ed, "ed-1", CLIENT, introspection, T0)), AUDIENCES));
    }

    @Test
    @DisplayName("issue 12 §3: only rules about the assertion itself are named to the caller; never unknown client, "
            + "secret, key or signature")
    void disclosureWhenRuleRevealsNothingThenNamedElseFixedText() {
        Set<ClientAuthenticationFailure> named = Set.of(ClientAuthenticationFailure.ALGORITHM_NOT_ALLOWED,
                ClientAuthenticationFailure.WRONG_AUDIENCE, ClientAuthenticationFailure.EXPIRED,
                ClientAuthenticationFailure.LIFETIME_TOO_LONG, ClientAuthenticationFailure.NOT_YET_VALID,
                ClientAuthenticationFailure.REPLAYED);
        for (ClientAuthenticationFailure reason : ClientAuthenticationFailure.values()) {
            ClientAuthenticationException e = new ClientAuthenticationException(reason);
            if (named.contains(reason)) {
                assertThat(e.description()).as(reason.name()).isNotEqualTo(ClientAuthenticationException.MESSAGE)
                        .startsWith("The client assertion");
            } else {
                assertThat(e.description()).as(reason.name()).isEqualTo(ClientAuthenticationException.MESSAGE);
            }
            assertThat(e.getMessage()).isEqualTo(ClientAuthenticationException.MESSAGE);
        }
    }
}
