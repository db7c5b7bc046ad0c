package dev.latchkey.core.token;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The public half of a P-256 signing key as a JWK (RFC 7517, RFC 7518 §6.2.1): what JWKS publishes
 * and what the table stores next to the sealed private key. It never holds a private member.
 *
 * @param crv always {@code P-256}
 * @param x the x coordinate, 32 bytes, base64url without padding
 * @param y the y coordinate, 32 bytes, base64url without padding
 */
public record EcPublicJwk(String crv, String x, String y) implements PublicJwk {

    /** The only curve Latchkey signs with (ES256). */
    public static final String P_256 = "P-256";

    /**
     * Validates the key: {@code crv} is {@code P-256}, each coordinate is canonical base64url of
     * exactly 32 bytes (RFC 7518 §6.2.1.2–3: full length, leading zeros kept) and the point lies
     * on the curve.
     *
     * @throws IllegalArgumentException otherwise
     */
    public EcPublicJwk {
        Objects.requireNonNull(crv, "crv");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (!P_256.equals(crv)) {
            throw new IllegalArgumentException("crv must be P-256");
        }
        BigInteger px = coordinate(x, "x");
        BigInteger py = coordinate(y, "y");
        if (!P256.isOnCurve(px, py)) {
            throw new IllegalArgumentException("the point is not on P-256");
        }
    }

    /**
     * The JWK of a P-256 public key.
     *
     * @throws IllegalArgumentException when the key is on another curve
     */
    public static EcPublicJwk of(ECPublicKey key) {
        if (!P256.is(key.getParams())) {
            throw new IllegalArgumentException("not a P-256 key");
        }
        ECPoint w = key.getW();
        return new EcPublicJwk(P_256, Base64Url.encode(P256.toFieldBytes(w.getAffineX())),
                Base64Url.encode(P256.toFieldBytes(w.getAffineY())));
    }

    /** This key as a JDK public key, for verifying signatures. */
    @Override
    public ECPublicKey toPublicKey() {
        ECPoint w = new ECPoint(coordinate(x, "x"), coordinate(y, "y"));
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256.PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK rejected a validated P-256 point", e);
        }
    }

    /** The RFC 7638 SHA-256 thumbprint: the key's {@code kid}. */
    @Override
    public String thumbprint() {
        return JwkThumbprint.sha256(Map.of("kty", "EC", "crv", crv, "x", x, "y", y));
    }

    /**
     * This key as a JWKS entry, in a stable member order (so a JWKS document and its ETag are
     * stable): {@code kty, crv, x, y, kid, use, alg} with {@code kid} the thumbprint,
     * {@code use: sig} and {@code alg: ES256}. Public members only.
     *
     * @return an unmodifiable, ordered map
     */
    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", crv);
        jwk.put("x", x);
        jwk.put("y", y);
        jwk.put("kid", thumbprint());
        jwk.put("use", "sig");
        jwk.put("alg", "ES256");
        return Collections.unmodifiableMap(jwk);
    }

    @Override
    public SigningAlgorithm algorithm() {
        return SigningAlgorithm.ES256;
    }

    private static BigInteger coordinate(String value, String name) {
        byte[] bytes = Base64Url.decode(value).filter(b -> b.length == P256.FIELD_BYTES)
                .orElseThrow(() -> new IllegalArgumentException(
                        name + " must be 32 bytes of base64url without padding"));
        return new BigInteger(1, bytes);
    }
}
