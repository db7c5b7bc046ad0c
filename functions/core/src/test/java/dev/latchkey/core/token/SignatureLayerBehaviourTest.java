package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the signature layer ({@link AccessTokenVerifier#es256Valid}: Nimbus JOSE+JWT's {@code ECDSAVerifier}) does
 * on its own for the signature attacks in AccessTokenVerifierTest: pins the library's behaviour, so an upgrade that
 * changes it shows up here. Header and claim attacks never reach this layer (AccessTokenVerifier checks them first).
 */
class SignatureLayerBehaviourTest {

    private static OpenedSigningKey key;
    private static String header;
    private static String payload;

    @BeforeAll
    static void keys() {
        key = TestKeys.opened();
        header = Jws.segment(Jws.header(key.kid()));
        payload = Jws.segment(Jws.payload());
    }

    private static boolean accepts(byte[] signature) {
        return AccessTokenVerifier.es256Valid(header, payload, Jws.b64(signature), key.publicKey());
    }

    @Test
    void genuineSignatureWhenCheckedThenAccepted() {
        assertThat(accepts(Jws.es256(header + "." + payload, key.privateKey()))).isTrue();
    }

    @Test
    void zeroDerAndWrongLengthSignaturesWhenCheckedThenRejected() {
        byte[] genuine = Jws.es256(header + "." + payload, key.privateKey());

        assertThat(accepts(new byte[64])).as("r = s = 0").isFalse();
        assertThat(accepts(Jws.es256Der(header + "." + payload, key.privateKey()))).as("DER").isFalse();
        assertThat(accepts(Arrays.copyOf(genuine, 63))).as("63 bytes").isFalse();
        assertThat(accepts(Arrays.copyOf(genuine, 65))).as("65 bytes").isFalse();
        assertThat(accepts(new byte[0])).as("empty").isFalse();
    }

    /** CVE-2022-21449's neighbour: r or s equal to the group order n must fail, not wrap to zero. */
    @Test
    void rOrSEqualToTheOrderWhenCheckedThenRejected() {
        byte[] order = unsigned32(key.publicKey().getParams().getOrder());
        byte[] genuine = Jws.es256(header + "." + payload, key.privateKey());
        byte[] rIsN = genuine.clone();
        System.arraycopy(order, 0, rIsN, 0, 32);
        byte[] sIsN = genuine.clone();
        System.arraycopy(order, 0, sIsN, 32, 32);

        assertThat(accepts(rIsN)).isFalse();
        assertThat(accepts(sIsN)).isFalse();
    }

    @Test
    void signatureOverOtherPayloadWhenCheckedThenRejected() {
        byte[] other = Jws.es256(header + "." + Jws.segment("{\"sub\":\"usr_other\"}"), key.privateKey());

        assertThat(accepts(other)).isFalse();
    }

    private static byte[] unsigned32(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        System.arraycopy(bytes, Math.max(0, bytes.length - 32), out, Math.max(0, 32 - bytes.length),
                Math.min(32, bytes.length));
        return out;
    }
}
