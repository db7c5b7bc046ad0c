package dev.latchkey.core.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * What the store keeps about one refresh token: never the token, only its keyed hash.
 *
 * @param tokenId base64url HMAC-SHA256(pepper, token) — see {@link RefreshTokenCrypto#tokenId}
 * @param sessionId the session (family) it belongs to
 * @param generation its place in the family: 1 for the first token, +1 per rotation
 * @param state active or rotated
 * @param rotatedAt when it was rotated (present exactly when rotated)
 * @param successorSealed the token that replaced it, AES-256-GCM-sealed under a key derived from this
 *     token (present exactly when rotated)
 * @param expiresAt when the item may go (the session's absolute expiry plus a day,
 *     {@code Session.refreshTokenExpiry()}; DynamoDB TTL)
 */
public record RefreshTokenRecord(String tokenId, String sessionId, long generation, RefreshTokenState state,
        Optional<Instant> rotatedAt, Optional<String> successorSealed, Instant expiresAt) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the generation is below 1 or the rotation fields do not
     *     match the state
     */
    public RefreshTokenRecord {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(state, "state");
        rotatedAt = Objects.requireNonNull(rotatedAt, "rotatedAt").map(t -> t.truncatedTo(ChronoUnit.MILLIS));
        Objects.requireNonNull(successorSealed, "successorSealed");
        expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MILLIS);
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1");
        }
        boolean rotated = state == RefreshTokenState.ROTATED;
        if (rotated != rotatedAt.isPresent() || rotated != successorSealed.isPresent()) {
            throw new IllegalArgumentException("rotatedAt and successorSealed are present exactly when rotated");
        }
    }

    /** A new, active token record. */
    public static RefreshTokenRecord active(String tokenId, String sessionId, long generation, Instant expiresAt) {
        return new RefreshTokenRecord(tokenId, sessionId, generation, RefreshTokenState.ACTIVE, Optional.empty(),
                Optional.empty(), expiresAt);
    }

    /** The record after rotation at {@code at}. */
    public RefreshTokenRecord rotated(Instant at, String sealedSuccessor) {
        return new RefreshTokenRecord(tokenId, sessionId, generation, RefreshTokenState.ROTATED, Optional.of(at),
                Optional.of(sealedSuccessor), expiresAt);
    }
}
