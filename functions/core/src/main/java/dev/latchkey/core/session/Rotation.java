package dev.latchkey.core.session;

import java.time.Instant;
import java.util.Objects;

/**
 * One refresh-token rotation, applied atomically by {@link SessionRepository#rotate}: the current
 * token ACTIVE → ROTATED (storing the sealed successor), the successor stored ACTIVE, the session
 * moved to the next generation.
 *
 * @param sessionId the session
 * @param expectedGeneration the session's and the current token's generation; the successor gets +1
 * @param currentTokenId the token being rotated
 * @param successorTokenId the new token's id
 * @param successorSealed the new token sealed under the current token's derived key
 * @param now the rotation time: {@code rotatedAt}, {@code lastUsedAt}, and the expiry condition
 * @param idleExpiresAt the session's new idle expiry
 * @param tokenExpiresAt the new token item's TTL (the session's absolute expiry plus a day)
 */
public record Rotation(String sessionId, long expectedGeneration, String currentTokenId, String successorTokenId,
        String successorSealed, Instant now, Instant idleExpiresAt, Instant tokenExpiresAt) {

    /** Checks nothing is missing. */
    public Rotation {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(currentTokenId, "currentTokenId");
        Objects.requireNonNull(successorTokenId, "successorTokenId");
        Objects.requireNonNull(successorSealed, "successorSealed");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt");
        Objects.requireNonNull(tokenExpiresAt, "tokenExpiresAt");
    }
}
