package dev.latchkey.core.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A public key read from a JWK or an X.509 certificate by {@link ClientPublicKeys}, before it becomes a
 * {@link ClientKey}: what a registration stores.
 *
 * @param kid the JWK's {@code kid}, or the RFC 7638 thumbprint of the key
 * @param algorithm {@link ClientPublicKeys#EDDSA} or {@link ClientPublicKeys#ES256}
 * @param subjectPublicKeyInfo the DER of the public key, in one canonical encoding per key (so the same key
 *     registered as a JWK and as a certificate has the same bytes)
 * @param notAfter a certificate's end of validity
 */
public record ClientPublicKey(String kid, String algorithm, byte[] subjectPublicKeyInfo, Optional<Instant> notAfter) {

    /** Copies the key bytes. */
    public ClientPublicKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
        Objects.requireNonNull(notAfter, "notAfter");
    }

    @Override
    public byte[] subjectPublicKeyInfo() {
        return subjectPublicKeyInfo.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientPublicKey that && kid.equals(that.kid) && algorithm.equals(that.algorithm)
                && java.util.Arrays.equals(subjectPublicKeyInfo, that.subjectPublicKeyInfo)
                && notAfter.equals(that.notAfter);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(subjectPublicKeyInfo);
    }

    @Override
    public String toString() {
        return "ClientPublicKey[kid=" + kid + ", algorithm=" + algorithm + ", notAfter=" + notAfter + "]";
    }
}
