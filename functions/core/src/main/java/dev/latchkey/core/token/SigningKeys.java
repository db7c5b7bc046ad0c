package dev.latchkey.core.token;

import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVault;
import dev.latchkey.core.vault.KeyVaultException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

/**
 * Makes and opens signing keys: P-256 key pairs from the JDK whose private half is sealed by the
 * {@link KeyVault} and only ever stored sealed.
 */
public final class SigningKeys {

    /** The key-vault purpose of a sealed signing key; the owner is the key's {@code kid}. */
    static final String PURPOSE = "signing-key";

    private static final byte[] PAIR_PROBE = "latchkey signing-key pair check".getBytes(StandardCharsets.US_ASCII);

    private SigningKeys() {
    }

    /**
     * A new {@code NEXT} key with a fresh {@link SecureRandom}.
     *
     * @see #generate(KeyVault, Clock, SecureRandom)
     */
    public static SigningKey generate(KeyVault vault, Clock clock) {
        return generate(vault, clock, new SecureRandom());
    }

    /**
     * A new {@code NEXT} key: a P-256 key pair ({@code secp256r1}) from the JDK, its {@code kid} the
     * RFC 7638 thumbprint of the public JWK, its PKCS#8 private key sealed with context
     * {@code ("signing-key", kid)}. The plaintext PKCS#8 bytes are overwritten once sealed.
     *
     * @param vault seals the private key (one vault call)
     * @param clock gives {@code createdAt}
     * @param random the randomness for the key pair
     * @throws KeyVaultException when the vault cannot seal
     */
    public static SigningKey generate(KeyVault vault, Clock clock, SecureRandom random) {
        return generate(SigningAlgorithm.ES256, vault, clock, random);
    }

    /**
     * A new {@code NEXT} key for {@code algorithm}: P-256 for ES256, as {@link #generate(KeyVault, Clock,
     * SecureRandom)}; a 2048-bit RSA key pair with exponent 65537 for RS256 (RFC 7518 §3.3), its private key sealed
     * the same way.
     */
    public static SigningKey generate(SigningAlgorithm algorithm, KeyVault vault, Clock clock, SecureRandom random) {
        KeyPair pair;
        PublicJwk jwk;
        try {
            if (algorithm == SigningAlgorithm.RS256) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(new RSAKeyGenParameterSpec(RsaPublicJwk.MIN_BITS, RSAKeyGenParameterSpec.F4),
                        random);
                pair = generator.generateKeyPair();
                jwk = RsaPublicJwk.of((RSAPublicKey) pair.getPublic());
            } else {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                pair = generator.generateKeyPair();
                jwk = EcPublicJwk.of((ECPublicKey) pair.getPublic());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + algorithm + " keys", e);
        }
        String kid = jwk.thumbprint();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        try {
            return new SigningKey(kid, SigningKeyState.NEXT, jwk, vault.seal(pkcs8, context(kid)),
                    clock.instant(), Optional.empty(), Optional.empty());
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /**
     * Opens a key for signing: one key-vault call and a private-key parse. Call it once per
     * container (at init, or when rotation promotes a key) and keep the result; never per request
     * (with KMS every open is a network call). The opened PKCS#8 bytes are overwritten once parsed
     * (the JDK's key spec keeps a copy of its own that cannot be cleared).
     *
     * @throws KeyVaultException when the vault is unavailable or the sealed key does not open under
     *     context {@code ("signing-key", kid)}
     * @throws IllegalStateException when the opened private key is not P-256 or does not belong
     *     to the key's public JWK (a corrupted or swapped item)
     */
    public static OpenedSigningKey open(SigningKey key, KeyVault vault) {
        if (key.algorithm() != SigningAlgorithm.ES256) {
            throw new IllegalStateException("signing key " + key.kid() + " is not an ES256 key");
        }
        byte[] pkcs8 = vault.open(key.sealedPrivateKey(), context(key.kid()));
        PrivateKey privateKey;
        try {
            privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + key.kid() + " is not a PKCS#8 EC private key", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        if (!(privateKey instanceof ECPrivateKey ecPrivateKey) || !P256.is(ecPrivateKey.getParams())) {
            throw new IllegalStateException("signing key " + key.kid() + " is not a P-256 private key");
        }
        ECPublicKey publicKey = ((EcPublicJwk) key.publicJwk()).toPublicKey();
        if (!isPair(ecPrivateKey, publicKey)) {
            throw new IllegalStateException("signing key " + key.kid() + " does not match its public key");
        }
        return new OpenedSigningKey(key.kid(), ecPrivateKey, publicKey);
    }

    /**
     * Opens an RS256 key for signing ID tokens, as {@link #open} does an ES256 one: one key-vault call, a PKCS#8
     * parse, and a check that the private key belongs to the stored public JWK (same modulus).
     *
     * @throws IllegalStateException when the key is not RS256, or the opened private key is not RSA or not the pair
     */
    public static OpenedRsaSigningKey openRsa(SigningKey key, KeyVault vault) {
        if (!(key.publicJwk() instanceof RsaPublicJwk jwk)) {
            throw new IllegalStateException("signing key " + key.kid() + " is not an RS256 key");
        }
        byte[] pkcs8 = vault.open(key.sealedPrivateKey(), context(key.kid()));
        PrivateKey privateKey;
        try {
            privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + key.kid() + " is not a PKCS#8 RSA private key", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        RSAPublicKey publicKey = jwk.toPublicKey();
        if (!(privateKey instanceof RSAPrivateKey rsa) || !rsa.getModulus().equals(publicKey.getModulus())) {
            throw new IllegalStateException("signing key " + key.kid() + " does not match its public key");
        }
        return new OpenedRsaSigningKey(key.kid(), rsa, publicKey);
    }

    static EncryptionContext context(String kid) {
        return new EncryptionContext(PURPOSE, kid);
    }

    /** The JDK cannot derive a public key from a private one, so sign a probe and verify it. */
    private static boolean isPair(ECPrivateKey privateKey, ECPublicKey publicKey) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(privateKey);
            signer.update(PAIR_PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(PAIR_PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
