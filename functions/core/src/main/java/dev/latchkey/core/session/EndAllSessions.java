package dev.latchkey.core.session;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import java.time.Clock;
import java.util.Set;

/**
 * Ends every active session of a user at once — after a password change or reset, or when the user
 * is disabled (SECURITY.md [7.4.1], [7.4.2], [7.4.3]): refresh tokens stop working immediately, and
 * access tokens on their next request to Latchkey ({@link LiveAccessTokens}). One {@code session.revoked}
 * event per session.
 *
 * <p>The sessions are found through the {@code gsi1} index, which is eventually consistent: a
 * session started less than about a second earlier may be missed.
 */
public final class EndAllSessions {

    private static final Set<SessionEndReason> REASONS = Set.of(SessionEndReason.PASSWORD_CHANGED,
            SessionEndReason.PASSWORD_RESET, SessionEndReason.ENDED_BY_USER,
            SessionEndReason.OPERATOR_REVOKED, SessionEndReason.USER_DISABLED);

    private final SessionRepository sessions;
    private final SessionRevoker revoker;

    /**
     * @param sessions the store
     * @param crypto token ids
     * @param audit where {@code session.revoked} goes
     * @param ids event ids
     * @param clock the time source
     */
    public EndAllSessions(SessionRepository sessions, RefreshTokenCrypto crypto, AuditLog audit, IdGenerator ids,
            Clock clock) {
        this.sessions = sessions;
        this.revoker = new SessionRevoker(sessions, crypto, audit, ids, clock);
    }

    /**
     * Ends them.
     *
     * @param reason {@code PASSWORD_CHANGED}, {@code PASSWORD_RESET}, {@code ENDED_BY_USER}, or an operator's
     *     {@code OPERATOR_REVOKED} or {@code USER_DISABLED}
     * @return how many sessions this call ended
     * @throws IllegalArgumentException for another reason
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (sessions
     *     ended before the failure stay ended; calling again finishes the job)
     */
    public int endAll(String userId, SessionEndReason reason, String sourceIp, String requestId) {
        if (!REASONS.contains(reason)) {
            throw new IllegalArgumentException("not a reason to end all sessions");
        }
        int ended = 0;
        for (Session session : sessions.findByUser(userId)) {
            if (session.userId().equals(userId) && revoker.revoke(session, reason, sourceIp, requestId)) {
                ended++;
            }
        }
        return ended;
    }
}
