package dev.latchkey.core.token;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The public half of an RSA signing key as a JWK (RFC 7518 §6.3.1), for RS256 ID tokens.
 *
 * @param n the modulus, base64url without padding, no leading zero byte, at least {@value #MIN_BITS} bits
 * @param e the public exponent, base64url without padding: {@code AQAB} (65537)
 */
public record RsaPublicJwk(String n, String e) implements PublicJwk {

    /** The smallest modulus accepted (RFC 7518 §3.3: 2048 bits or larger). */
    public static final int MIN_BITS = 2048;

    /** The largest modulus accepted: larger keys only cost time. */
    public static final int MAX_BITS = 4096;

    private static final String F4 = "AQAB";

    /**
     * Validates the key: canonical base64url, a modulus of {@value #MIN_BITS}–{@value #MAX_BITS} bits without a
     * leading zero octet (RFC 7518 §6.3.1.1), odd, and the exponent 65537.
     *
     * @throws IllegalArgumentException otherwise
     */
    public RsaPublicJwk {
        Objects.requireNonNull(n, "n");
        Objects.requireNonNull(e, "e");
        if (!F4.equals(e)) {
            throw new IllegalArgumentException("e must be AQAB (65537)");
        }
        byte[] modulus = Base64Url.decode(n).orElseThrow(() -> new IllegalArgumentException(
                "n must be base64url without padding"));
        BigInteger value = new BigInteger(1, modulus);
        if (modulus.length == 0 || modulus[0] == 0 || value.bitLength() < MIN_BITS || value.bitLength() > MAX_BITS
                || !value.testBit(0)) {
            throw new IllegalArgumentException("n must be an odd modulus of 2048 to 4096 bits without leading zeros");
        }
    }

    /** The JWK of an RSA public key. */
    public static RsaPublicJwk of(RSAPublicKey key) {
        return new RsaPublicJwk(Base64Url.encode(unsigned(key.getModulus())),
                Base64Url.encode(unsigned(key.getPublicExponent())));
    }

    /** This key as a JDK public key, for verifying signatures. */
    @Override
    public RSAPublicKey toPublicKey() {
        BigInteger modulus = new BigInteger(1, Base64Url.decode(n).orElseThrow());
        BigInteger exponent = new BigInteger(1, Base64Url.decode(e).orElseThrow());
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("the JDK rejected a validated RSA key", ex);
        }
    }

    @Override
    public String thumbprint() {
        return JwkThumbprint.sha256(Map.of("kty", "RSA", "n", n, "e", e));
    }

    @Override
    public SigningAlgorithm algorithm() {
        return SigningAlgorithm.RS256;
    }

    /** {@code kty, n, e, kid, use, alg} with {@code use: sig}, {@code alg: RS256}. */
    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("n", n);
        jwk.put("e", e);
        jwk.put("kid", thumbprint());
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        return Collections.unmodifiableMap(jwk);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }
}
