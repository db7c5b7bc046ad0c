package dev.latchkey.core.session;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import java.time.Clock;

/**
 * Logout (API.md {@code POST /v1/auth/logout}): ends the session of a refresh token (current or
 * rotated). Idempotent and silent like RFC 7009: an unknown or already ended token changes nothing
 * and is not an error, so logout cannot be used to probe tokens.
 */
public final class EndSession {

    private final SessionRevoker revoker;

    /**
     * @param sessions the store
     * @param crypto token ids
     * @param audit where {@code session.revoked} goes
     * @param ids event ids
     * @param clock the time source
     */
    public EndSession(SessionRepository sessions, RefreshTokenCrypto crypto, AuditLog audit, IdGenerator ids,
            Clock clock) {
        this.revoker = new SessionRevoker(sessions, crypto, audit, ids, clock);
    }

    /**
     * Ends the session.
     *
     * @return whether this call ended a session
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public boolean end(String refreshToken, String sourceIp, String requestId) {
        return revoker.byRefreshToken(refreshToken, SessionEndReason.LOGOUT, sourceIp, requestId).isPresent();
    }
}
