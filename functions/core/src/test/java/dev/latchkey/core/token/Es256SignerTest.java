package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Es256Signer}: RFC 6979's known answers, and signatures the JDK's own ES256 verifier accepts. */
class Es256SignerTest {

    private static final JWSHeader ES256 = new JWSHeader(JWSAlgorithm.ES256);

    /** RFC 6979 A.2.5: the P-256 key. */
    private static final String RFC6979_KEY = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";

    private static ECPrivateKey rfc6979Key() throws Exception {
        return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(
                new ECPrivateKeySpec(new BigInteger(RFC6979_KEY, 16), P256.PARAMS));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    @Test
    @DisplayName("RFC 6979 A.2.5, P-256 with SHA-256: 'sample' and 'test' give the published r and s")
    void rfc6979VectorsWhenSignedThenPublishedSignatures() throws Exception {
        Es256Signer signer = new Es256Signer(rfc6979Key());

        assertThat(hex(signer.sign(ES256, "sample".getBytes(StandardCharsets.US_ASCII)).decode())).isEqualTo(
                "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
                + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
        assertThat(hex(signer.sign(ES256, "test".getBytes(StandardCharsets.US_ASCII)).decode())).isEqualTo(
                "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367"
                + "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083");
    }

    @Test
    @DisplayName("200 random inputs on a fresh key: every r‖s verifies with the JDK's SHA256withECDSAinP1363Format")
    void randomInputsWhenSignedThenJdkVerifies() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Es256Signer signer = new Es256Signer((ECPrivateKey) pair.getPrivate());
        for (int i = 0; i < 200; i++) {
            byte[] input = new byte[ThreadLocalRandom.current().nextInt(0, 600)];
            ThreadLocalRandom.current().nextBytes(input);
            byte[] signature = signer.sign(ES256, input).decode();
            assertThat(signature).hasSize(64);
            Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
            jdk.initVerify(pair.getPublic());
            jdk.update(input);
            assertThat(jdk.verify(signature)).as("input %d", i).isTrue();
            if (input.length > 0) {
                input[0] ^= 1;
                jdk.initVerify(pair.getPublic());
                jdk.update(input);
                assertThat(jdk.verify(signature)).as("altered input %d", i).isFalse();
            }
        }
    }

    @Test
    @DisplayName("a header other than ES256 is refused; a key of another curve is refused")
    void otherAlgorithmOrCurveWhenSigningThenRefused() throws Exception {
        Es256Signer signer = new Es256Signer(rfc6979Key());
        assertThat(signer.supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.ES256);
        assertThatThrownBy(() -> signer.sign(new JWSHeader(JWSAlgorithm.ES384), new byte[1]))
                .isInstanceOf(JOSEException.class);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        ECPrivateKey p384 = (ECPrivateKey) generator.generateKeyPair().getPrivate();
        assertThatThrownBy(() -> new Es256Signer(p384)).isInstanceOf(IllegalArgumentException.class);
    }
}
