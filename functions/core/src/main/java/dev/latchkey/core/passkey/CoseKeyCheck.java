package dev.latchkey.core.passkey;

import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.authenticator.Curve;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.authenticator.EdDSACOSEKey;
import com.webauthn4j.data.attestation.authenticator.RSACOSEKey;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Checks a credential public key against its own {@code alg} (WebAuthn L3 §7.1 step 20 allows the algorithm; this
 * checks the key really is a key of that algorithm — RFC 9053 §2.1 / §2.2, RFC 8230 §4):
 * <ul>
 *   <li>ES256 (-7): an EC2 key ({@code kty} 2) on P-256 ({@code crv} 1), {@code x} and {@code y} exactly 32 bytes,
 *       both below the field prime, and the point on the curve (y² = x³ − 3x + b mod p);</li>
 *   <li>EdDSA (-8): an OKP key ({@code kty} 1) on Ed25519 ({@code crv} 6), {@code x} exactly 32 bytes;</li>
 *   <li>RS256 (-257): an RSA key ({@code kty} 3) with a modulus of at least {@value #MIN_RSA_BITS} bits and an odd
 *       public exponent above 1.</li>
 * </ul>
 * A key that fails gives the reason code; the registration answers 400 with it upper case
 * ({@code KEY_TYPE_MISMATCH}, {@code KEY_CURVE_MISMATCH}, {@code KEY_COORDINATE_SIZE}, {@code KEY_NOT_ON_CURVE},
 * {@code KEY_TOO_WEAK}); a login against a stored key that fails is refused like any failed check.
 */
final class CoseKeyCheck {

    /** The smallest accepted RSA modulus (NIST SP 800-131A: 2048 bits). */
    static final int MIN_RSA_BITS = 2048;

    private static final int ES256 = -7;
    private static final int EDDSA = -8;
    private static final int RS256 = -257;
    private static final int P256_BYTES = 32;
    private static final int ED25519_BYTES = 32;
    private static final BigInteger P = new BigInteger(
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private static final BigInteger B = new BigInteger(
            "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);
    private static final BigInteger THREE = BigInteger.valueOf(3);

    private CoseKeyCheck() {
    }

    /**
     * Why the key is not a sound key of its algorithm, or empty when it is.
     *
     * @param key the credential public key as webauthn4j read it
     * @return a lower-snake-case reason
     */
    static Optional<String> problem(COSEKey key) {
        if (key == null || key.getAlgorithm() == null) {
            return Optional.of("algorithm_not_allowed");
        }
        int algorithm = (int) key.getAlgorithm().getValue();
        switch (algorithm) {
            case ES256:
                return key instanceof EC2COSEKey ec ? ec2(ec) : Optional.of("key_type_mismatch");
            case EDDSA:
                return key instanceof EdDSACOSEKey ed ? okp(ed) : Optional.of("key_type_mismatch");
            case RS256:
                return key instanceof RSACOSEKey rsa ? rsa(rsa) : Optional.of("key_type_mismatch");
            default:
                return Optional.of("algorithm_not_allowed");
        }
    }

    private static Optional<String> ec2(EC2COSEKey key) {
        if (key.getCurve() != Curve.SECP256R1) {
            return Optional.of("key_curve_mismatch");
        }
        byte[] xBytes = key.getX();
        byte[] yBytes = key.getY();
        if (xBytes == null || yBytes == null || xBytes.length != P256_BYTES || yBytes.length != P256_BYTES) {
            return Optional.of("key_coordinate_size");
        }
        BigInteger x = new BigInteger(1, xBytes);
        BigInteger y = new BigInteger(1, yBytes);
        if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
            return Optional.of("key_not_on_curve");
        }
        BigInteger left = y.multiply(y).mod(P);
        BigInteger right = x.pow(3).subtract(THREE.multiply(x)).add(B).mod(P);
        return left.equals(right) ? Optional.empty() : Optional.of("key_not_on_curve");
    }

    private static Optional<String> okp(EdDSACOSEKey key) {
        if (key.getCurve() != Curve.ED25519) {
            return Optional.of("key_curve_mismatch");
        }
        byte[] x = key.getX();
        return x != null && x.length == ED25519_BYTES ? Optional.empty() : Optional.of("key_coordinate_size");
    }

    private static Optional<String> rsa(RSACOSEKey key) {
        if (key.getN() == null || key.getE() == null) {
            return Optional.of("key_too_weak");
        }
        BigInteger modulus = new BigInteger(1, key.getN());
        BigInteger exponent = new BigInteger(1, key.getE());
        if (modulus.bitLength() < MIN_RSA_BITS || !exponent.testBit(0) || exponent.compareTo(BigInteger.ONE) <= 0) {
            return Optional.of("key_too_weak");
        }
        return Optional.empty();
    }
}
