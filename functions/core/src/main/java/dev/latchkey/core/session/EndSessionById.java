package dev.latchkey.core.session;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Ends one of the caller's own sessions (API.md {@code DELETE /v1/users/me/sessions/{sessionId}}).
 * Another user's session answers exactly like a missing one ({@code NOT_FOUND}, SECURITY.md
 * [8.2.2]); ending an already revoked or expired session of one's own is a no-op (a retried DELETE
 * succeeds).
 */
public final class EndSessionById {

    private static final Pattern SESSION_ID = Pattern.compile("ses_[0-9A-HJKMNP-TV-Z]{26}");

    private final SessionRepository sessions;
    private final SessionRevoker revoker;

    /**
     * @param sessions the store
     * @param crypto token ids
     * @param audit where {@code session.revoked} goes
     * @param ids event ids
     * @param clock the time source
     */
    public EndSessionById(SessionRepository sessions, RefreshTokenCrypto crypto, AuditLog audit, IdGenerator ids,
            Clock clock) {
        this.sessions = sessions;
        this.revoker = new SessionRevoker(sessions, crypto, audit, ids, clock);
    }

    /**
     * Ends the session.
     *
     * @param userId the caller (from a verified access token)
     * @param sessionId the path parameter as sent
     * @throws SessionException {@code notFound} when the id is malformed, unknown, or another user's
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public void end(String userId, String sessionId, String sourceIp, String requestId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw SessionException.notFound();
        }
        end(userId, sessionId, SessionEndReason.ENDED_BY_USER, sourceIp, requestId);
    }

    /**
     * Ends the session for another reason than the user's own request on the sessions route: the hosted pages'
     * logout ({@link SessionEndReason#LOGOUT}) or a new sign-in in the same browser.
     *
     * @throws SessionException {@code notFound} when the id is malformed, unknown, or another user's
     */
    public void end(String userId, String sessionId, SessionEndReason reason, String sourceIp, String requestId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw SessionException.notFound();
        }
        Session session = sessions.find(sessionId).filter(s -> s.userId().equals(userId))
                .orElseThrow(SessionException::notFound);
        revoker.revoke(session, reason, sourceIp, requestId);
    }
}
