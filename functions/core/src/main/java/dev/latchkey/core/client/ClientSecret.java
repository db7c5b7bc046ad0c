package dev.latchkey.core.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One client secret, as stored: never the secret, only its keyed hash (HMAC-SHA-256 under the
 * {@link dev.latchkey.core.vault.Peppers#CLIENT_SECRET} pepper).
 *
 * @param secretId {@code cs_…}
 * @param hash the 32-byte keyed hash
 * @param createdAt when
 * @param createdBy the actor id that added it
 * @param expiresAt when it stops working, if ever
 * @param revokedAt when it was revoked, if it was
 */
public record ClientSecret(String secretId, byte[] hash, Instant createdAt, String createdBy,
        Optional<Instant> expiresAt, Optional<Instant> revokedAt) {

    /** Copies the hash. */
    public ClientSecret {
        Objects.requireNonNull(secretId, "secretId");
        hash = hash.clone();
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** Whether it authenticates at {@code now}: not revoked, not expired. */
    public boolean usableAt(Instant now) {
        return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
    }

    /** This credential revoked at {@code at}; one already revoked keeps its first revocation time. */
    public ClientSecret revoked(Instant at) {
        if (revokedAt.isPresent()) {
            return this;
        }
        return new ClientSecret(secretId, hash, createdAt, createdBy, expiresAt, Optional.of(at));
    }
}
