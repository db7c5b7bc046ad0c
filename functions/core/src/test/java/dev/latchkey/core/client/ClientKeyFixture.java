package dev.latchkey.core.client;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Keys for client tests, made by the JDK: Ed25519 and P-256 key pairs, their public JWKs, and X.509 certificates
 * for them. {@link #certificate} uses Bouncy Castle's certificate builder (on the core module's test classpath
 * through webauthn4j-test); the key pairs and JWKs need only the JDK.
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

    /**
     * A PEM certificate for {@code subject}, valid from {@code notBefore} to {@code notAfter}, signed by a fresh
     * P-256 issuer key (the chain is not what clients register; the key and validity are).
     */
    public static String certificate(PublicKey subject, Instant notBefore, Instant notAfter) {
        try {
            KeyPair issuer = p256();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(new X500Name("CN=test issuer"),
                    BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name("CN=test client"), SubjectPublicKeyInfo.getInstance(subject.getEncoded()));
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate()))
                    .getEncoded();
            return "-----BEGIN CERTIFICATE-----\n"
                    + new String(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(der),
                            StandardCharsets.US_ASCII)
                    + "\n-----END CERTIFICATE-----\n";
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
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
