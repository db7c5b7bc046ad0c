package dev.latchkey.core.apikey;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Why and by whom a key was revoked.
 *
 * @param revokedAt when
 * @param revokedBy the actor id ({@code usr_…} or {@code key_…})
 * @param reason the revoker's free text, up to 500 characters
 */
public record Revocation(Instant revokedAt, String revokedBy, Optional<String> reason) {

    /** Checks nothing is missing. */
    public Revocation {
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(revokedBy, "revokedBy");
        Objects.requireNonNull(reason, "reason");
    }
}
