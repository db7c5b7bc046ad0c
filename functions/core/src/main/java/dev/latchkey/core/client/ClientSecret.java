package dev.latchkey.core.client;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
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

    /**
     * Whether {@code presentedHash} is the hash of one of {@code secrets} usable at {@code now}: every secret is
     * compared in constant time ({@link MessageDigest#isEqual}) and the loop never stops early, so the answer's
     * timing does not tell which secret, or whether a revoked or expired one, matched. Service clients and
     * applications authenticate their secrets with this one check.
     */
    public static boolean anyUsableMatches(byte[] presentedHash, List<ClientSecret> secrets, Instant now) {
        boolean matched = false;
        for (ClientSecret secret : secrets) {
            boolean equal = MessageDigest.isEqual(presentedHash, secret.hash);
            matched |= equal & secret.usableAt(now);
        }
        return matched;
    }

    /** This credential revoked at {@code at}; one already revoked keeps its first revocation time. */
    public ClientSecret revoked(Instant at) {
        if (revokedAt.isPresent()) {
            return this;
        }
        return new ClientSecret(secretId, hash, createdAt, createdBy, expiresAt, Optional.of(at));
    }
}
