package dev.latchkey.core.session;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import java.time.Clock;

/**
 * Token revocation (RFC 7009 §2.1): a refresh token — current or already rotated — revokes its
 * whole session, so every token of the family stops working at once.
 *
 * <p>Per RFC 7009 §2.2 the answer never depends on the token: an unknown, malformed, expired or
 * already revoked token succeeds too. An access token is accepted and has no effect: access tokens
 * are self-contained JWTs that expire within {@link SessionPolicy#accessTokenLifetime()} (15 min by
 * default) — revoke the refresh token to end the session. {@code token_type_hint} is only a hint
 * (§2.1) and is ignored: the token's shape tells the kinds apart.
 */
public final class RevokeToken {

    private final SessionRevoker revoker;

    /**
     * @param sessions the store
     * @param crypto token ids
     * @param audit where {@code session.revoked} goes
     * @param ids event ids
     * @param clock the time source
     */
    public RevokeToken(SessionRepository sessions, RefreshTokenCrypto crypto, AuditLog audit, IdGenerator ids,
            Clock clock) {
        this.revoker = new SessionRevoker(sessions, crypto, audit, ids, clock);
    }

    /**
     * Revokes the token's session, if it names one.
     *
     * @param token the {@code token} parameter as sent
     * @param sourceIp the caller's address, for the audit event
     * @param requestId the request id, for the audit event
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public void revoke(String token, String sourceIp, String requestId) {
        revoker.byRefreshToken(token, SessionEndReason.TOKEN_REVOKED, sourceIp, requestId);
    }
}
