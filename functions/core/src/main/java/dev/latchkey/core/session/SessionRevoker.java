package dev.latchkey.core.session;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Revokes sessions and audits {@code session.revoked}; shared by the ending use cases. */
final class SessionRevoker {

    private final SessionRepository sessions;
    private final RefreshTokenCrypto crypto;
    private final SessionAudit audit;
    private final Clock clock;

    SessionRevoker(SessionRepository sessions, RefreshTokenCrypto crypto, AuditLog audit, IdGenerator ids,
            Clock clock) {
        this.sessions = sessions;
        this.crypto = crypto;
        this.audit = new SessionAudit(audit, ids, clock);
        this.clock = clock;
    }

    /**
     * Revokes the session a presented refresh token (active or rotated) belongs to.
     *
     * @return the session when this call revoked it; empty for a malformed or unknown token, or a
     *     session that was no longer active
     */
    Optional<Session> byRefreshToken(String presented, SessionEndReason reason, String sourceIp, String requestId) {
        Optional<RefreshToken> token = RefreshToken.parse(presented);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return sessions.findRefreshToken(crypto.tokenId(token.get()))
                .filter(r -> now.isBefore(r.expiresAt()))
                .flatMap(r -> sessions.find(r.sessionId()))
                .filter(s -> revoke(s, reason, sourceIp, requestId));
    }

    /**
     * The session a presented refresh token (active or rotated, not expired) belongs to, without changing anything.
     *
     * @return empty for a malformed or unknown token
     */
    Optional<Session> ofRefreshToken(String presented) {
        Optional<RefreshToken> token = RefreshToken.parse(presented);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return sessions.findRefreshToken(crypto.tokenId(token.get()))
                .filter(r -> now.isBefore(r.expiresAt()))
                .flatMap(r -> sessions.find(r.sessionId()));
    }

    /** Revokes an active session; false when it was not active (nothing audited then). */
    boolean revoke(Session session, SessionEndReason reason, String sourceIp, String requestId) {
        if (session.status() != SessionStatus.ACTIVE) {
            return false;
        }
        if (!sessions.revoke(session.sessionId(), clock.instant(), reason)) {
            return false;
        }
        audit.record(SessionAudit.REVOKED, session, Outcome.SUCCESS, Map.of("reason", reason.code()), sourceIp,
                requestId);
        return true;
    }
}
