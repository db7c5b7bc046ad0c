package dev.latchkey.core.token;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * A signing key opened for use: the private key in memory. Open it once per container (at start-up
 * or on rotation) with {@link SigningKeys#open}, never per request. {@link #toString()} shows only
 * the {@code kid}.
 *
 * @param kid the RFC 7638 thumbprint of {@code publicKey}
 * @param privateKey the P-256 private key
 * @param publicKey the matching public key
 */
public record OpenedSigningKey(String kid, ECPrivateKey privateKey, ECPublicKey publicKey) {

    /**
     * Checks that {@code kid} is the thumbprint of {@code publicKey} (so a token's {@code kid}
     * always names the key that signed it). {@link SigningKeys#open} also checks that the two keys
     * form a pair.
     *
     * @throws IllegalArgumentException when it is not, or a key is not on P-256
     */
    public OpenedSigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        if (!P256.is(privateKey.getParams())) {
            throw new IllegalArgumentException("not a P-256 private key");
        }
        if (!kid.equals(EcPublicJwk.of(publicKey).thumbprint())) {
            throw new IllegalArgumentException("kid must be the RFC 7638 thumbprint of the public key");
        }
    }

    @Override
    public String toString() {
        return "OpenedSigningKey[kid=" + kid + "]";
    }
}
