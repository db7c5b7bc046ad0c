package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.http.Json;
import dev.latchkey.core.token.InvalidTokenException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Known answers written by others (SECURITY.md "Published test vectors"): our crypto path must
 * accept a valid ES256 JWS produced elsewhere and reject the published invalid ones.
 */
class KnownAnswerVectorsTest {

    /** RFC 7515 Appendix A.3.1: the example ES256 JWS Compact Serialization. */
    static final String RFC7515_A3_JWS = "eyJhbGciOiJFUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

    /** RFC 7515 Appendix A.3.1: the public part of the example P-256 key. */
    static final EcPublicJwk RFC7515_A3_KEY = new EcPublicJwk("P-256",
            "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");

    /** RFC 7515 Appendix A.5: the example Unsecured JWS ({"alg":"none"}, A.1 payload, empty signature). */
    static final String RFC7515_A5_UNSECURED = "eyJhbGciOiJub25lIn0"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".";

    @Test
    void rfc7515A3WhenVerifiedThenSignatureAccepted() {
        assertThatCode(() -> AccessTokenVerifier.verifySignatureOnly(RFC7515_A3_JWS, RFC7515_A3_KEY.toPublicKey()))
                .doesNotThrowAnyException();
    }

    @Test
    void rfc7515A3WhenDecodedThenTheRfcContent() {
        String[] parts = RFC7515_A3_JWS.split("\\.");

        assertThat(new String(Jws.unb64(parts[0]))).isEqualTo("{\"alg\":\"ES256\"}");
        assertThat(new String(Jws.unb64(parts[1])))
                .isEqualTo("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");
        assertThat(Jws.unb64(parts[2])).hasSize(64);
    }

    @Test
    void rfc7515A3WhenAnySegmentChangedThenSignatureRejected() {
        String[] parts = RFC7515_A3_JWS.split("\\.");
        String flippedSignature = parts[2].substring(0, 85) + "A";
        String otherPayload = Jws.segment("{\"iss\":\"joe\",\"exp\":1300819380,\"http://example.com/is_root\":false}");
        ECPublicKey key = RFC7515_A3_KEY.toPublicKey();

        for (String forged : List.of(parts[0] + "." + parts[1] + "." + flippedSignature,
                parts[0] + "." + otherPayload + "." + parts[2])) {
            InvalidTokenException e = catchThrowableOfType(InvalidTokenException.class,
                    () -> AccessTokenVerifier.verifySignatureOnly(forged, key));
            assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        }
        assertThat(catchThrowableOfType(InvalidTokenException.class,
                () -> AccessTokenVerifier.verifySignatureOnly(RFC7515_A3_JWS, TestKeys.opened().publicKey())).reason())
                .isEqualTo(Reason.BAD_SIGNATURE);
    }

    /** The A.3 JWS is genuine but is not an access token: untyped, no kid, expired in 2011. */
    @Test
    void rfc7515A3WhenVerifiedAsAccessTokenThenRejected() {
        AccessTokenVerifier verifier = new AccessTokenVerifier(kid -> Optional.of(RFC7515_A3_KEY.toPublicKey()),
                "joe", Set.of("any"), TestKeys.clockAt(Instant.ofEpochSecond(1300819380 - 60)));

        assertThat(catchThrowableOfType(InvalidTokenException.class, () -> verifier.verify(RFC7515_A3_JWS)).reason())
                .isEqualTo(Reason.WRONG_TYPE);
    }

    @Test
    void rfc7515A5WhenDecodedThenAlgNoneAndEmptySignature() {
        String[] parts = RFC7515_A5_UNSECURED.split("\\.", -1);

        assertThat(parts).hasSize(3);
        assertThat(new String(Jws.unb64(parts[0]))).isEqualTo("{\"alg\":\"none\"}");
        assertThat(parts[1]).isEqualTo(RFC7515_A3_JWS.split("\\.")[1]);
        assertThat(parts[2]).isEmpty();
    }

    @Test
    void rfc7515A5WhenSignatureCheckedWithAnyKeyThenRejected() {
        assertThat(catchThrowableOfType(InvalidTokenException.class,
                () -> AccessTokenVerifier.verifySignatureOnly(RFC7515_A5_UNSECURED, RFC7515_A3_KEY.toPublicKey()))
                .reason()).isEqualTo(Reason.BAD_SIGNATURE);
    }

    // Project Wycheproof, json_web_signature_test.json, group "es256" (tcId 18-32).

    private static JsonNode wycheproofGroup() {
        try (InputStream in = KnownAnswerVectorsTest.class.getResourceAsStream(
                "/token/wycheproof/json_web_signature_es256.json")) {
            return Json.mapper().readTree(in.readAllBytes()).get("testGroups").get(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECPublicKey wycheproofKey() {
        JsonNode jwk = wycheproofGroup().get("public");
        return new EcPublicJwk(jwk.get("crv").asString(), jwk.get("x").asString(), jwk.get("y").asString())
                .toPublicKey();
    }

    static Stream<Arguments> wycheproofEs256() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode test : wycheproofGroup().get("tests")) {
            cases.add(Arguments.of(test.get("tcId").asInt(), test.get("comment").asString(),
                    test.get("jws").asString(), test.get("result").asString()));
        }
        return cases.stream();
    }

    /**
     * The signature layer our verifier uses ({@link AccessTokenVerifier#es256Valid}, Nimbus's ECDSA) on
     * each vector, given the three segments directly (the payload {@code foo} is not JSON).
     */
    @ParameterizedTest(name = "tcId {0} {1}")
    @MethodSource("wycheproofEs256")
    void wycheproofEs256WhenSignatureVerifiedThenExpectedResult(int tcId, String comment, String jws, String result) {
        assertThat(signatureLayerAccepts(jws, wycheproofKey())).as("tcId %d %s", tcId, comment)
                .isEqualTo("valid".equals(result));
    }

    /** Every vector, even the one valid signature, fails as an access token (no typ, payload not JSON). */
    @ParameterizedTest(name = "tcId {0} {1}")
    @MethodSource("wycheproofEs256")
    void wycheproofEs256WhenVerifiedAsAccessTokenThenRejected(int tcId, String comment, String jws, String result) {
        ECPublicKey key = wycheproofKey();
        AccessTokenVerifier verifier = new AccessTokenVerifier(kid -> Optional.of(key), TestKeys.ISSUER,
                Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW));

        InvalidTokenException e = catchThrowableOfType(InvalidTokenException.class, () -> verifier.verify(jws));

        assertThat(e).as("tcId %d %s", tcId, comment).isNotNull();
        Reason expected = switch (tcId) {
            case 31 -> Reason.ALGORITHM_NOT_ALLOWED;
            case 32 -> Reason.EMBEDDED_KEY;
            case 18, 19, 20, 22, 23, 25 -> Reason.WRONG_TYPE;
            default -> Reason.MALFORMED;
        };
        assertThat(e.reason()).as("tcId %d %s", tcId, comment).isEqualTo(expected);
    }

    /** Guards the hand copy: the modified vectors differ from tcId 18 exactly as their comments say. */
    @Test
    void wycheproofCopyWhenComparedWithTheValidVectorThenConsistent() {
        Map<Integer, String> jws = new HashMap<>();
        wycheproofEs256().forEach(a -> jws.put((Integer) a.get()[0], (String) a.get()[2]));
        String[] valid = jws.get(18).split("\\.");

        assertThat(jws.get(19)).isEqualTo(valid[0] + "." + valid[1] + ".X" + valid[2].substring(1));
        assertThat(jws.get(20)).isEqualTo(valid[0] + "." + valid[1] + ".");
        assertThat(jws.get(21)).isEqualTo(valid[0] + "." + valid[1]);
        assertThat(jws.get(22)).isEqualTo(valid[0] + ".WG9v." + valid[2]);
        assertThat(jws.get(23)).isEqualTo(valid[0] + ".." + valid[2]);
        assertThat(jws.get(24)).isEqualTo(valid[0] + "." + valid[2]);
        assertThat(new String(Jws.unb64(jws.get(25).split("\\.")[0])))
                .isEqualTo("{\"alg\":\"ES256\",\"kid\":\"Xid-ec-sign\"}");
        assertThat(jws.get(26)).isEqualTo("." + valid[1] + "." + valid[2]);
        assertThat(jws.get(27)).isEqualTo(valid[1] + "." + valid[2]);
        assertThat(new String(Jws.unb64(valid[0]))).isEqualTo("{\"alg\":\"ES256\",\"kid\":\"kid-ec-sign\"}");
        assertThat(new String(Jws.unb64(valid[1]))).isEqualTo("foo");
    }

    /** tcId 32 is a genuine signature — by the attacker's key that its own header embeds. */
    @Test
    void wycheproofEmbeddedJwkWhenVerifiedWithTheEmbeddedKeyThenValid() {
        String jws = (String) wycheproofEs256().filter(a -> (Integer) a.get()[0] == 32).findFirst().orElseThrow()
                .get()[2];
        JsonNode embedded = Json.mapper().readTree(Jws.unb64(jws.split("\\.")[0])).get("jwk");
        ECPublicKey attacker = new EcPublicJwk(embedded.get("crv").asString(), embedded.get("x").asString(),
                embedded.get("y").asString()).toPublicKey();

        assertThat(signatureLayerAccepts(jws, attacker)).isTrue();
        assertThat(signatureLayerAccepts(jws, wycheproofKey())).isFalse();
    }

    private static boolean signatureLayerAccepts(String jws, ECPublicKey key) {
        String[] parts = jws.split("\\.", -1);
        return parts.length == 3 && AccessTokenVerifier.es256Valid(parts[0], parts[1], parts[2], key);
    }
}
