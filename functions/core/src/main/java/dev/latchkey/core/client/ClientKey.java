package dev.latchkey.core.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One registered public key of a client, for {@code private_key_jwt} client assertions (RFC 7523) and the
 * jwt-bearer grant. Registered as a JWK (Ed25519 {@code OKP} or P-256 {@code EC}) or an X.509 certificate, and
 * stored as its SubjectPublicKeyInfo.
 *
 * @param keyId {@code ck_…}, Latchkey's id for management
 * @param kid the JWK {@code kid} assertions name in their header: the registered one, or the RFC 7638 thumbprint
 * @param algorithm {@code EdDSA} or {@code ES256}
 * @param subjectPublicKeyInfo the DER of the public key
 * @param createdAt when
 * @param createdBy the actor id that added it
 * @param notAfter a certificate's end of validity, if registered as one
 * @param revokedAt when it was revoked, if it was
 */
public record ClientKey(String keyId, String kid, String algorithm, byte[] subjectPublicKeyInfo, Instant createdAt,
        String createdBy, Optional<Instant> notAfter, Optional<Instant> revokedAt) {

    /** Copies the key bytes. */
    public ClientKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    @Override
    public byte[] subjectPublicKeyInfo() {
        return subjectPublicKeyInfo.clone();
    }

    /** Whether it verifies assertions at {@code now}: not revoked, and within a certificate's validity. */
    public boolean usableAt(Instant now) {
        return revokedAt.isEmpty() && notAfter.map(now::isBefore).orElse(true);
    }

    /** This credential revoked at {@code at}; one already revoked keeps its first revocation time. */
    public ClientKey revoked(Instant at) {
        if (revokedAt.isPresent()) {
            return this;
        }
        return new ClientKey(keyId, kid, algorithm, subjectPublicKeyInfo, createdAt, createdBy, notAfter,
                Optional.of(at));
    }
}
