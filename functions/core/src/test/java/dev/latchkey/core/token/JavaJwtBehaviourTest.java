package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.ECDSAKeyProvider;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What java-jwt 4.6.2 does on its own — {@code JWTVerifier} with {@code Algorithm.ECDSA256}, issuer,
 * audience and a 30 s leeway, no pre-checks — for each attack in AccessTokenVerifierTest. These
 * pin the library's behaviour, so an upgrade that changes it shows up here; they are why
 * {@link AccessTokenVerifier} checks the raw header and payload itself before calling java-jwt.
 */
class JavaJwtBehaviourTest {

    private static OpenedSigningKey key;

    @BeforeAll
    static void keys() {
        key = TestKeys.opened();
    }

    private static boolean javaJwtAccepts(String token) {
        JWTVerifier verifier = ((JWTVerifier.BaseVerification) JWT.require(Algorithm.ECDSA256(key.publicKey(), null))
                .withIssuer(TestKeys.ISSUER)
                .withAnyOfAudience(TestKeys.AUDIENCE)
                .acceptLeeway(30))
                .build(TestKeys.clockAt(TestKeys.NOW));
        try {
            verifier.verify(token);
            return true;
        } catch (JWTVerificationException e) {
            return false;
        }
    }

    private static String token(Consumer<Map<String, Object>> header, Consumer<Map<String, Object>> payload) {
        Map<String, Object> h = Jws.header(key.kid());
        Map<String, Object> p = Jws.payload();
        header.accept(h);
        payload.accept(p);
        return Jws.sign(h, p, key.privateKey());
    }

    private static String withSignature(byte[] signature) {
        String[] parts = token(h -> { }, p -> { }).split("\\.");
        return parts[0] + "." + parts[1] + "." + Jws.b64(signature);
    }

    @Test
    void baselineWhenValidTokenThenAccepted() {
        assertThat(javaJwtAccepts(token(h -> { }, p -> { }))).isTrue();
    }

    // Handled by java-jwt itself.

    @Test
    void rejectsAlgNoneInAnyCaseAndHs256KeyedWithThePublicKey() throws Exception {
        for (String none : List.of("none", "None", "NONE")) {
            String unsigned = Jws.segment(Map.of("alg", none)) + "." + Jws.segment(Jws.payload()) + ".";
            assertThat(javaJwtAccepts(unsigned)).as(none).isFalse();
        }
        assertThat(javaJwtAccepts(KnownAnswerVectorsTest.RFC7515_A5_UNSECURED)).isFalse();
        String input = Jws.segment(Map.of("alg", "HS256", "typ", "at+jwt")) + "." + Jws.segment(Jws.payload());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.publicKey().getEncoded(), "HmacSHA256"));
        assertThat(javaJwtAccepts(input + "." + Jws.b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)))))
                .isFalse();
    }

    @Test
    void rejectsZeroDerAndWrongLengthSignatures() {
        String input = Jws.segment(Jws.header(key.kid())) + "." + Jws.segment(Jws.payload());
        byte[] genuine = Jws.es256(input, key.privateKey());

        assertThat(javaJwtAccepts(withSignature(new byte[64]))).as("r = s = 0").isFalse();
        assertThat(javaJwtAccepts(input + "." + Jws.b64(Jws.es256Der(input, key.privateKey())))).as("DER").isFalse();
        assertThat(javaJwtAccepts(input + "." + Jws.b64(Arrays.copyOf(genuine, 63)))).as("63 bytes").isFalse();
        assertThat(javaJwtAccepts(input + "." + Jws.b64(Arrays.copyOf(genuine, 65)))).as("65 bytes").isFalse();
        assertThat(javaJwtAccepts(input + ".")).as("empty").isFalse();
        assertThat(javaJwtAccepts(input + "." + Jws.b64(genuine))).as("genuine").isTrue();
    }

    @Test
    void rejectsWrongSegmentCountsAndNonObjectPayloads() {
        String token = token(h -> { }, p -> { });
        String[] parts = token.split("\\.");

        assertThat(javaJwtAccepts(parts[0] + "." + parts[1])).isFalse();
        assertThat(javaJwtAccepts(token + ".")).isFalse();
        assertThat(javaJwtAccepts(token + "." + parts[2])).isFalse();
        assertThat(javaJwtAccepts(Jws.sign(parts[0], Jws.segment("[]"), key.privateKey()))).isFalse();
        assertThat(javaJwtAccepts(Jws.sign(parts[0], Jws.segment("\"foo\""), key.privateKey()))).isFalse();
    }

    @Test
    void rejectsExpiredNotYetValidIssuedInFutureWrongIssuerAndWrongAudience() {
        long now = TestKeys.NOW.getEpochSecond();

        assertThat(javaJwtAccepts(token(h -> { }, p -> p.put("exp", now - 31)))).isFalse();
        assertThat(javaJwtAccepts(token(h -> { }, p -> p.put("nbf", now + 31)))).isFalse();
        assertThat(javaJwtAccepts(token(h -> { }, p -> p.put("iat", now + 31)))).isFalse();
        assertThat(javaJwtAccepts(token(h -> { }, p -> p.put("iss", "https://attacker.example")))).isFalse();
        assertThat(javaJwtAccepts(token(h -> { }, p -> p.put("aud", "https://other.example")))).isFalse();
        assertThat(javaJwtAccepts(token(h -> { }, p -> p.remove("aud")))).isFalse();
        assertThat(javaJwtAccepts(token(h -> { }, p -> p.remove("iss")))).isFalse();
    }

    // Not handled by java-jwt: AccessTokenVerifier's own checks reject these.

    @Test
    void acceptsAnyTypOrNone() {
        assertThat(javaJwtAccepts(token(h -> h.remove("typ"), p -> { }))).isTrue();
        assertThat(javaJwtAccepts(token(h -> h.put("typ", "JWT"), p -> { }))).isTrue();
        assertThat(javaJwtAccepts(token(h -> h.put("typ", "lkr+jwt"), p -> { }))).isTrue();
    }

    @Test
    void acceptsEmbeddedKeyHeadersAndCritByIgnoringThem() {
        for (String parameter : List.of("jku", "x5u", "x5c", "x5t")) {
            assertThat(javaJwtAccepts(token(h -> h.put(parameter, "https://attacker.example"), p -> { })))
                    .as(parameter).isTrue();
        }
        assertThat(javaJwtAccepts(token(h -> h.put("jwk", EcPublicJwk.of(key.publicKey()).toMap()), p -> { })))
                .isTrue();
        assertThat(javaJwtAccepts(token(h -> h.put("crit", List.of("exp")), p -> { }))).isTrue();
    }

    @Test
    void acceptsMissingKidExpIatJtiAndSub() {
        assertThat(javaJwtAccepts(token(h -> h.remove("kid"), p -> { }))).isTrue();
        assertThat(javaJwtAccepts(token(h -> { }, p -> {
            p.remove("exp");
            p.remove("iat");
            p.remove("jti");
            p.remove("sub");
        }))).isTrue();
    }

    /** With a key provider, java-jwt hands it whatever kid the header holds. */
    @Test
    void passesHostileKidToItsKeyProvider() {
        List<String> asked = new ArrayList<>();
        ECDSAKeyProvider provider = new ECDSAKeyProvider() {
            @Override
            public ECPublicKey getPublicKeyById(String kid) {
                asked.add(kid);
                return key.publicKey();
            }

            @Override
            public ECPrivateKey getPrivateKey() {
                return null;
            }

            @Override
            public String getPrivateKeyId() {
                return null;
            }
        };
        String hostile = "../../etc/passwd' OR '1'='1" + "x".repeat(500);

        JWT.require(Algorithm.ECDSA256(provider)).acceptLeeway(30).build()
                .verify(token(h -> h.put("kid", hostile), p -> p.put("exp", Long.MAX_VALUE / 2000)));

        assertThat(asked).containsExactly(hostile);
    }

    /** Jackson's default: the last duplicate wins — in the header ({"alg":"none","alg":"ES256"}) too. */
    @Test
    void acceptsDuplicateKeysLastOneWinning() {
        String payloadJson = "{\"iss\":\"" + TestKeys.ISSUER + "\",\"aud\":\"" + TestKeys.AUDIENCE
                + "\",\"sub\":\"usr_a\",\"sub\":\"usr_ADMIN\"}";
        String duplicateAlg = Jws.segment("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"alg\":\"ES256\"}");
        String token = Jws.sign(duplicateAlg, Jws.segment(payloadJson), key.privateKey());

        assertThat(javaJwtAccepts(token)).isTrue();
        DecodedJWT decoded = JWT.decode(token);
        assertThat(decoded.getAlgorithm()).isEqualTo("ES256");
        assertThat(decoded.getSubject()).isEqualTo("usr_ADMIN");
    }

    /** The JDK's base64url decoder takes padding, so "payload==" is a second spelling java-jwt accepts. */
    @Test
    void acceptsPaddedSegmentsWhenSignedThatWay() {
        String header = Jws.segment(Jws.header(key.kid()));
        String payload = Jws.segment(Jws.payload());
        String padded = payload + "=".repeat((4 - payload.length() % 4) % 4);

        assertThat(padded).isNotEqualTo(payload);
        assertThat(javaJwtAccepts(Jws.sign(header, padded, key.privateKey()))).isTrue();
    }
}
