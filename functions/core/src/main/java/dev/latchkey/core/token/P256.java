package dev.latchkey.core.token;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/** The NIST P-256 curve (secp256r1), the only curve ES256 uses (RFC 7518 §3.4). */
public final class P256 {

    /** Bytes in a coordinate, a scalar, and each half of an r‖s signature. */
    static final int FIELD_BYTES = 32;

    static final ECParameterSpec PARAMS = load();

    private static final BigInteger P = ((ECFieldFp) PARAMS.getCurve().getField()).getP();

    private P256() {
    }

    private static ECParameterSpec load() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no secp256r1", e);
        }
    }

    /** The order n of the base point: r and s of a valid signature lie in [1, n - 1]. */
    public static BigInteger order() {
        return PARAMS.getOrder();
    }

    /** Whether {@code spec} describes P-256 (curve, generator, order and cofactor). */
    public static boolean is(ECParameterSpec spec) {
        return spec != null
                && spec.getCurve().equals(PARAMS.getCurve())
                && spec.getGenerator().equals(PARAMS.getGenerator())
                && spec.getOrder().equals(PARAMS.getOrder())
                && spec.getCofactor() == PARAMS.getCofactor();
    }

    /**
     * Whether (x, y) is a point of the curve: 0 ≤ x, y &lt; p and y² = x³ + ax + b (mod p). The JDK's
     * {@code KeyFactory} does not check this, so an off-curve point would become a "valid" key.
     */
    static boolean isOnCurve(BigInteger x, BigInteger y) {
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(P);
        BigInteger right = x.pow(3).add(PARAMS.getCurve().getA().multiply(x)).add(PARAMS.getCurve().getB()).mod(P);
        return left.equals(right);
    }

    /** A non-negative value below 2^256 as exactly 32 big-endian bytes. */
    static byte[] toFieldBytes(BigInteger value) {
        byte[] raw = value.toByteArray();
        if (value.signum() < 0 || raw.length > FIELD_BYTES + 1 || (raw.length == FIELD_BYTES + 1 && raw[0] != 0)) {
            throw new IllegalArgumentException("value does not fit in " + FIELD_BYTES + " bytes");
        }
        byte[] fixed = new byte[FIELD_BYTES];
        int length = Math.min(raw.length, FIELD_BYTES);
        System.arraycopy(raw, raw.length - length, fixed, FIELD_BYTES - length, length);
        return fixed;
    }
}
