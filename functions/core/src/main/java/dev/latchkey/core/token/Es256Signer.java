package dev.latchkey.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Curve;

/**
 * ES256 (RFC 7518 §3.4) for Nimbus's {@code JWSObject.sign}, computed with Bouncy Castle's lightweight ECDSA instead
 * of the JDK's: the same signatures any ES256 verifier accepts, at about four times the JDK 17 signer's rate when
 * only C1 compiles (Lambda's {@code -XX:TieredStopAtLevel=1}) and five times with C2 (docs/performance.md "ES256
 * and Ed25519 with Bouncy Castle"). The JDK 17 provider multiplies the base point with a generic window method;
 * Bouncy Castle uses the P-256 field of {@code SecP256R1Curve} and a fixed-base comb over a table precomputed once
 * per JVM.
 *
 * <ul>
 *   <li>The nonce is deterministic, RFC 6979 §3.2 with HMAC-SHA-256 ({@code HMacDSAKCalculator}): no signature
 *       depends on the quality of a random source, and one key and message always give one signature
 *       ({@code Es256SignerTest} checks RFC 6979 A.2.5's "sample" vector).</li>
 *   <li>The signature is r‖s, each 32 bytes big-endian (RFC 7518 §3.4), not DER.</li>
 *   <li>Only {@code ES256} headers are signed; the key must be a P-256 key.</li>
 * </ul>
 * Thread-safe: each signature builds its own {@code ECDSASigner}; the private scalar and the curve's comb table are
 * read-only once built.
 */
final class Es256Signer implements JWSSigner {

    /** P-256 (SEC 2 §2.4.2 secp256r1): Bouncy Castle's own field arithmetic, generator and order. */
    static final ECDomainParameters DOMAIN = domain();

    private static final int HALF = P256.FIELD_BYTES;
    /** Nimbus asks for it on every {@code JWSObject.sign}: built once. */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256);

    private final ECPrivateKeyParameters key;
    private final JCAContext jca = new JCAContext();

    /**
     * @param privateKey a P-256 private key
     * @throws IllegalArgumentException when the key is not on P-256
     */
    Es256Signer(ECPrivateKey privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (!P256.is(privateKey.getParams())) {
            throw new IllegalArgumentException("not a P-256 key");
        }
        this.key = new ECPrivateKeyParameters(privateKey.getS(), DOMAIN);
    }

    private static ECDomainParameters domain() {
        ECCurve curve = new SecP256R1Curve();
        return new ECDomainParameters(curve, curve.createPoint(P256.PARAMS.getGenerator().getAffineX(),
                P256.PARAMS.getGenerator().getAffineY()), curve.getOrder(), curve.getCofactor());
    }

    /**
     * Signs {@code signingInput} (RFC 7515 §5.1 step 5): SHA-256, ECDSA with the RFC 6979 nonce, r‖s.
     *
     * @throws JOSEException when the header's {@code alg} is not ES256
     */
    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new JOSEException("this signer signs ES256 only");
        }
        SHA256Digest sha256 = new SHA256Digest();
        sha256.update(signingInput, 0, signingInput.length);
        byte[] hash = new byte[sha256.getDigestSize()];
        sha256.doFinal(hash, 0);
        ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        ecdsa.init(true, key);
        BigInteger[] rs = ecdsa.generateSignature(hash);
        byte[] signature = new byte[2 * HALF];
        System.arraycopy(P256.toFieldBytes(rs[0]), 0, signature, 0, HALF);
        System.arraycopy(P256.toFieldBytes(rs[1]), 0, signature, HALF, HALF);
        return Base64URL.encode(signature);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
        return jca;
    }
}
