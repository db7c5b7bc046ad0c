package dev.latchkey.core.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores sessions and their refresh tokens (by keyed hash only). Every single-use transition is one
 * conditional write: a method never reads and then writes unconditionally.
 *
 * <p>Every method throws {@link dev.latchkey.core.store.StoreUnavailableException} when the store
 * fails; nothing is then half-written.
 */
public interface SessionRepository {

    /**
     * Stores a new session and its first refresh token together (one transaction, both items
     * conditional on not existing yet).
     */
    void create(Session session, RefreshTokenRecord firstToken);

    /**
     * The refresh token with this id, read strongly consistently, or empty. Does not check
     * {@link RefreshTokenRecord#expiresAt()}: callers do.
     */
    Optional<RefreshTokenRecord> findRefreshToken(String tokenId);

    /** The session, read strongly consistently, or empty. Callers check status and expiry. */
    Optional<Session> find(String sessionId);

    /**
     * Applies a rotation atomically (RFC 6749 §6 rotation; ARCHITECTURE.md §3 single use), only if
     * the current token is still ACTIVE, the successor id is unused, and the session is ACTIVE, at
     * {@link Rotation#expectedGeneration()} and not expired at {@link Rotation#now()}.
     *
     * @return true when applied; false when a condition failed (another rotation of the same token
     *     won, or the session was revoked or expired meanwhile) — nothing was written then
     */
    boolean rotate(Rotation rotation);

    /**
     * Revokes an active session (one conditional update on {@code status = ACTIVE}).
     *
     * @return true when this call revoked it; false when it was missing or already revoked
     */
    boolean revoke(String sessionId, Instant at, SessionEndReason reason);

    /**
     * Everything an access token's liveness depends on, in <b>one</b> strongly consistent request (docs/data-model.md
     * "access-token check"): the session {@code sessionId} names, when it names one, and whether {@code jwtId} is on
     * the deny-list ({@link #denyAccessToken}). Callers decide (status, owner, expiry: {@link LiveAccessTokens}).
     * A deny-list entry is reported even past its expiry (DynamoDB deletes lazily): by then the token has expired
     * anyway, so that costs nothing.
     *
     * @param jwtId the token's {@code jti}
     * @param sessionId the token's {@code sid}, if any
     */
    AccessTokenRecords findAccessTokenRecords(String jwtId, Optional<String> sessionId);

    /**
     * Puts an access token's {@code jti} on the deny-list (RFC 7009 §2.1) until {@code until}, then DynamoDB's TTL
     * removes the entry. One conditional write ({@code attribute_not_exists}).
     *
     * @param jwtId the token's {@code jti}
     * @param revokedAt now, kept on the entry
     * @param until when the token stops verifying anyway: its {@code exp} plus the largest leeway
     * @return true when this call added it; false when it was on the list already (nothing written)
     */
    boolean denyAccessToken(String jwtId, Instant revokedAt, Instant until);

    /**
     * Every session of the user, any status, newest first. May lag a just-created session by a
     * moment (an index read).
     */
    List<Session> findByUser(String userId);
}
