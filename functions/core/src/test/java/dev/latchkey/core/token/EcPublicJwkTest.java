package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcPublicJwkTest {

    /** The RFC 7515 Appendix A.3 example key: a real P-256 point. */
    static final String A3_X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    static final String A3_Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

    @Test
    void ofWhenPublicKeyThenRoundTripsThroughJdkKey() {
        ECPublicKey key = TestKeys.opened().publicKey();

        EcPublicJwk jwk = EcPublicJwk.of(key);

        assertThat(jwk.crv()).isEqualTo("P-256");
        assertThat(jwk.x()).hasSize(43);
        assertThat(jwk.y()).hasSize(43);
        assertThat(jwk.toPublicKey().getW()).isEqualTo(key.getW());
        assertThat(jwk.toPublicKey().getEncoded()).isEqualTo(key.getEncoded());
    }

    @Test
    void toMapWhenCalledThenPublicMembersOnlyInStableOrderAndNimbusParsesIt() throws Exception {
        EcPublicJwk jwk = new EcPublicJwk("P-256", A3_X, A3_Y);

        Map<String, Object> map = jwk.toMap();

        assertThat(map).containsExactly(
                Map.entry("kty", "EC"), Map.entry("crv", "P-256"), Map.entry("x", A3_X), Map.entry("y", A3_Y),
                Map.entry("kid", jwk.thumbprint()), Map.entry("use", "sig"), Map.entry("alg", "ES256"));
        JWK parsed = JWK.parse(map);
        assertThat(parsed.isPrivate()).isFalse();
        assertThat(parsed.getKeyID()).isEqualTo(parsed.computeThumbprint().toString());
        assertThat(((ECKey) parsed).toECPublicKey().getW()).isEqualTo(jwk.toPublicKey().getW());
    }

    @Test
    void toMapWhenModifiedThenRejected() {
        Map<String, Object> map = new EcPublicJwk("P-256", A3_X, A3_Y).toMap();

        assertThatThrownBy(() -> map.put("d", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    /**
     * A coordinate whose first byte is zero keeps its full 32-byte length (RFC 7518 §6.2.1.2), so
     * the thumbprint — and the kid — is the one every other library computes.
     */
    @Test
    void ofWhenCoordinateHasLeadingZeroByteThenStillThirtyTwoBytes() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey found = null;
        for (int i = 0; i < 20_000 && found == null; i++) {
            ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
            if (key.getW().getAffineX().bitLength() <= 248) {
                found = key;
            }
        }
        assertThat(found).as("a key with a short x within 20,000 tries").isNotNull();

        EcPublicJwk jwk = EcPublicJwk.of(found);

        assertThat(Jws.unb64(jwk.x())).hasSize(32).startsWith((byte) 0);
        assertThat(jwk.thumbprint()).isEqualTo(new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, found).build()
                .computeThumbprint().toString());
    }

    /**
     * The JDK's KeyFactory builds a "public key" from any (x, y) without checking the curve
     * equation; this type must not. The y below differs from the RFC 7515 A.3 key's from its seventh
     * character on (a mis-copied version of that key): the point is off the curve.
     */
    @Test
    void constructorWhenPointNotOnCurveThenRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EcPublicJwk("P-256", A3_X, "x_FEzRjmX1bP2gtB0CqL8U_5dB0Sn9dC7Ty1y7sWI4Q"))
                .withMessageContaining("not on P-256");
    }

    @Test
    void constructorWhenCoordinateEncodingWrongThenRejected() {
        String shortX = Jws.b64(new byte[31]);
        String longX = Jws.b64(new byte[33]);
        assertThatIllegalArgumentException().isThrownBy(() -> new EcPublicJwk("P-256", shortX, A3_Y));
        assertThatIllegalArgumentException().isThrownBy(() -> new EcPublicJwk("P-256", longX, A3_Y));
        assertThatIllegalArgumentException().isThrownBy(() -> new EcPublicJwk("P-256", A3_X + "=", A3_Y));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EcPublicJwk("P-256", A3_X, "+/" + A3_Y.substring(2)));
        // "U" → "V" changes only the 2 unused trailing bits: same bytes, non-canonical spelling.
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EcPublicJwk("P-256", A3_X.substring(0, 42) + "V", A3_Y));
    }

    @Test
    void constructorWhenCoordinateIsFieldPrimeOrMoreThenRejected() {
        BigInteger prime = ((ECFieldFp) P256.PARAMS.getCurve().getField()).getP();
        String p = Jws.b64(P256.toFieldBytes(prime));

        assertThatIllegalArgumentException().isThrownBy(() -> new EcPublicJwk("P-256", p, A3_Y));
    }

    @Test
    void constructorWhenOtherCurveThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EcPublicJwk("P-384", A3_X, A3_Y));
        assertThatIllegalArgumentException().isThrownBy(() -> new EcPublicJwk("secp256k1", A3_X, A3_Y));
    }

    @Test
    void ofWhenKeyOnAnotherCurveThenRejected() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        ECPublicKey p384 = (ECPublicKey) generator.generateKeyPair().getPublic();

        assertThatIllegalArgumentException().isThrownBy(() -> EcPublicJwk.of(p384));
    }

    @Test
    void thumbprintWhenRfc7515A3KeyThenMatchesNimbus() throws Exception {
        Map<String, Object> map = new HashMap<>(Map.of("kty", "EC", "crv", "P-256", "x", A3_X, "y", A3_Y));

        assertThat(new EcPublicJwk("P-256", A3_X, A3_Y).thumbprint())
                .isEqualTo(ECKey.parse(map).computeThumbprint().toString());
    }
}
