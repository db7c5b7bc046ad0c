package dev.latchkey.core.token;

import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/**
 * An RS256 signing key opened for one container ({@link SigningKeys#openRsa}): signs ID tokens. Never logged.
 *
 * @param kid the RFC 7638 thumbprint of {@code publicKey}
 * @param privateKey the private key
 * @param publicKey the matching public key
 */
public record OpenedRsaSigningKey(String kid, RSAPrivateKey privateKey, RSAPublicKey publicKey) {

    /** Checks that {@code kid} is the thumbprint of {@code publicKey}. */
    public OpenedRsaSigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        if (!kid.equals(RsaPublicJwk.of(publicKey).thumbprint())) {
            throw new IllegalArgumentException("kid must be the RFC 7638 thumbprint of the public key");
        }
    }

    @Override
    public String toString() {
        return "OpenedRsaSigningKey[kid=" + kid + "]";
    }
}
