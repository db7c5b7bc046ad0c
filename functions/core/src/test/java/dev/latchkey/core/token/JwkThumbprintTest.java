package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.security.interfaces.ECPublicKey;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 7638 thumbprints: the published vectors, and Nimbus as a second implementation. */
class JwkThumbprintTest {

    /** RFC 7638 §3.1, the example RSA key. */
    static final String RFC7638_N = ""
            + "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJE"
            + "CPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2Q"
            + "vzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6"
            + "WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    @Test
    void sha256WhenRfc7638RsaExampleThenPublishedThumbprint() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("n", RFC7638_N);
        jwk.put("e", "AQAB");
        jwk.put("alg", "RS256");
        jwk.put("kid", "2011-04-29");

        assertThat(JwkThumbprint.sha256(jwk)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    /** RFC 8037 Appendix A.3 (Ed25519). */
    @Test
    void sha256WhenRfc8037OkpExampleThenPublishedThumbprint() {
        Map<String, Object> jwk = Map.of("kty", "OKP", "crv", "Ed25519",
                "x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                "d", "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");

        assertThat(JwkThumbprint.sha256(jwk)).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    @Test
    void sha256WhenEcKeysThenSameAsNimbus() throws Exception {
        for (int i = 0; i < 20; i++) {
            ECPublicKey key = TestKeys.opened().publicKey();
            EcPublicJwk jwk = EcPublicJwk.of(key);
            String nimbus = new ECKey.Builder(Curve.P_256, key).build().computeThumbprint().toString();

            assertThat(JwkThumbprint.sha256(Map.of("kty", "EC", "crv", "P-256", "x", jwk.x(), "y", jwk.y())))
                    .isEqualTo(jwk.thumbprint())
                    .isEqualTo(nimbus)
                    .hasSize(43)
                    .matches("[A-Za-z0-9_-]+");
        }
    }

    @Test
    void sha256WhenOptionalOrPrivateMembersOrOrderDifferThenSameThumbprint() {
        Map<String, Object> minimal = Map.of("kty", "RSA", "n", RFC7638_N, "e", "AQAB");
        Map<String, Object> decorated = new LinkedHashMap<>();
        decorated.put("use", "sig");
        decorated.put("e", "AQAB");
        decorated.put("d", "private-member-ignored");
        decorated.put("n", RFC7638_N);
        decorated.put("kty", "RSA");
        decorated.put("kid", "anything");

        assertThat(JwkThumbprint.sha256(decorated)).isEqualTo(JwkThumbprint.sha256(minimal));
    }

    @Test
    void sha256WhenKeyMaterialChangesThenThumbprintChanges() {
        String original = JwkThumbprint.sha256(Map.of("kty", "RSA", "n", RFC7638_N, "e", "AQAB"));

        assertThat(JwkThumbprint.sha256(Map.of("kty", "RSA", "n", RFC7638_N, "e", "AQAC"))).isNotEqualTo(original);
    }

    @Test
    void sha256WhenKtyMissingOrUnsupportedThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> JwkThumbprint.sha256(Map.of("n", "x", "e", "AQAB")));
        assertThatIllegalArgumentException().isThrownBy(() -> JwkThumbprint.sha256(Map.of("kty", "oct", "k", "a")));
        assertThatIllegalArgumentException().isThrownBy(() -> JwkThumbprint.sha256(Map.of("kty", 1, "k", "a")));
    }

    @Test
    void sha256WhenRequiredMemberMissingOrNotStringThenRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JwkThumbprint.sha256(Map.of("kty", "EC", "crv", "P-256", "x", "AA")));
        Map<String, Object> numeric = new HashMap<>(Map.of("kty", "RSA", "n", RFC7638_N));
        numeric.put("e", 65537);
        assertThatIllegalArgumentException().isThrownBy(() -> JwkThumbprint.sha256(numeric));
    }

    /** RFC 7638 §3.3: only the escapes JSON requires, so Nimbus-style and ours agree byte for byte. */
    @Test
    void sha256WhenValuesNeedJsonEscapesThenEscapedMinimally() throws Exception {
        Map<String, Object> odd = Map.of("kty", "OKP", "crv", "a\"b\\c\u0001é", "x", "AA");
        byte[] expectedInput = "{\"crv\":\"a\\\"b\\\\c\\u0001é\",\"kty\":\"OKP\",\"x\":\"AA\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String expected = Jws.b64(java.security.MessageDigest.getInstance("SHA-256").digest(expectedInput));

        assertThat(JwkThumbprint.sha256(odd)).isEqualTo(expected);
    }
}
