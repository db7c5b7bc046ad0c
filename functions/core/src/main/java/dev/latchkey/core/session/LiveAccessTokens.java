package dev.latchkey.core.session;

import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.InvalidTokenException;
import dev.latchkey.core.token.InvalidTokenException.Reason;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The one check that a verified access token is still live — the single code path behind every route that accepts
 * a user's access token ({@link dev.latchkey.core.login.BearerAuthentication}) and behind token introspection
 * ({@link dev.latchkey.core.introspect.IntrospectToken}):
 * <ol>
 *   <li>its {@code jti} is not on the deny-list ({@code POST /oauth/revoke}, RFC 7009 §2.1);</li>
 *   <li>when it has a {@code sid}: that session exists, is the token subject's, and is usable now (active, neither
 *       idle- nor absolutely expired) — so logout, ending a session, a password change or reset and "end all
 *       sessions" stop the session's access tokens on the next request, not when they expire.</li>
 * </ol>
 * Both come from one strongly consistent request ({@link SessionRepository#findAccessTokenRecords}: a
 * {@code BatchGetItem}, or a {@code GetItem} without a {@code sid}). No cache: the answer is never stale.
 */
public final class LiveAccessTokens {

    private final SessionRepository sessions;
    private final Clock clock;

    /**
     * @param sessions the session store, which also holds the deny-list
     * @param clock for idle and absolute expiry
     */
    public LiveAccessTokens(SessionRepository sessions, Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Why a verified token is no longer live, or empty when it is.
     *
     * @return {@link Reason#REVOKED} for a revoked {@code jti}; {@link Reason#SESSION_ENDED} for a session that is
     *     gone, another user's, revoked or expired
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (callers fail closed)
     */
    public Optional<Reason> failure(AccessTokenClaims claims) {
        AccessTokenRecords records = sessions.findAccessTokenRecords(claims.jwtId(), claims.sessionId());
        if (records.revoked()) {
            return Optional.of(Reason.REVOKED);
        }
        if (claims.sessionId().isPresent()) {
            boolean live = records.session()
                    .filter(session -> session.sessionId().equals(claims.sessionId().get()))
                    .filter(session -> session.userId().equals(claims.subject()))
                    .filter(session -> session.isUsableAt(clock.instant()))
                    .isPresent();
            if (!live) {
                return Optional.of(Reason.SESSION_ENDED);
            }
        }
        return Optional.empty();
    }

    /** Whether the token is live ({@link #failure} is empty). */
    public boolean isLive(AccessTokenClaims claims) {
        return failure(claims).isEmpty();
    }

    /**
     * Requires the token to be live.
     *
     * @throws InvalidTokenException 401 {@code invalid_token} ({@link Reason#REVOKED} or
     *     {@link Reason#SESSION_ENDED}) otherwise
     */
    public void require(AccessTokenClaims claims) {
        Optional<Reason> failure = failure(claims);
        if (failure.isPresent()) {
            throw new InvalidTokenException(failure.get());
        }
    }
}
