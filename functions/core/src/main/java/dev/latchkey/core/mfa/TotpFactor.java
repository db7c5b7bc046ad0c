package dev.latchkey.core.mfa;

import dev.latchkey.core.vault.SealedSecret;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's active TOTP authenticator: the secret sealed by the key vault (never the secret itself), when it was
 * confirmed, when a code was last accepted and the last accepted time step (RFC 6238 §5.2: a code is accepted once;
 * the store only takes a later step, by a conditional write).
 *
 * @param userId whose it is
 * @param secret the 160-bit secret, sealed with {@link TotpSecrets#context(String)}
 * @param createdAt when enrolment was confirmed
 * @param lastUsedAt when a code (or a recovery code) was last accepted
 * @param lastStep the last accepted time step ({@code Long.MIN_VALUE} when none yet)
 */
public record TotpFactor(String userId, SealedSecret secret, Instant createdAt, Optional<Instant> lastUsedAt,
        long lastStep) {

    /** Checks nothing is missing. */
    public TotpFactor {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }
}
