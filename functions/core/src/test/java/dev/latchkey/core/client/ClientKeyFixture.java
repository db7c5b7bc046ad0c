package dev.latchkey.core.client;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys for client tests, made by the JDK alone (usable from any module's tests): Ed25519 and P-256 key pairs and
 * their public JWKs. Certificates are in {@link ClientCertificateFixture}.
 */
public final class ClientKeyFixture {

    private ClientKeyFixture() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new P-256 key pair. */
    public static KeyPair p256() {
        return ec("secp256r1");
    }

    /** A new key pair on another curve (P-384), which clients may not register. */
    public static KeyPair p384() {
        return ec("secp384r1");
    }

    private static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK of an Ed25519 or P-256 key, without {@code kid}, as a mutable ordered map. */
    public static Map<String, Object> jwk(PublicKey key) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        if (key instanceof ECPublicKey ec) {
            jwk.put("kty", "EC");
            jwk.put("crv", "P-256");
            jwk.put("x", base64Url(fixed(ec.getW().getAffineX())));
            jwk.put("y", base64Url(fixed(ec.getW().getAffineY())));
        } else {
            byte[] spki = key.getEncoded();
            jwk.put("kty", "OKP");
            jwk.put("crv", "Ed25519");
            jwk.put("x", base64Url(Arrays.copyOfRange(spki, spki.length - 32, spki.length)));
        }
        return jwk;
    }

    private static byte[] fixed(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, out, 32 - length, length);
        return out;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
