package dev.latchkey.core.mfa;

import dev.latchkey.core.vault.SealedSecret;
import java.time.Instant;
import java.util.Objects;

/**
 * A TOTP enrolment started and not yet confirmed: the new secret, sealed, until a first valid code activates it.
 *
 * @param userId whose it is
 * @param secret the new secret, sealed with {@link TotpSecrets#context(String)}
 * @param createdAt when enrolment started
 * @param expiresAt when the pending secret stops being confirmable
 */
public record PendingTotp(String userId, SealedSecret secret, Instant createdAt, Instant expiresAt) {

    /** Checks nothing is missing. */
    public PendingTotp {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
