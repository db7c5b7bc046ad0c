package dev.latchkey.core.session;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Revocation of a refresh token (RFC 7009 §2.1): a refresh token — current or already rotated — revokes its
 * whole session, so every token of the family stops working at once: the refresh tokens, and the session's access
 * tokens on their next request ({@link LiveAccessTokens}). The other kinds of token are
 * {@link dev.latchkey.core.revocation.RevokeOAuthToken}'s.
 */
public final class RevokeToken {

    private final SessionRevoker revoker;
    private final SessionRepository sessions;
    private final RefreshTokenCrypto crypto;
    private final Clock clock;

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
        this.sessions = sessions;
        this.crypto = crypto;
        this.clock = clock;
    }

    /**
     * Revokes the token's session, if it names one, and audits {@code session.revoked}.
     *
     * @param token the {@code token} parameter as sent
     * @param sourceIp the caller's address, for the audit event
     * @param requestId the request id, for the audit event
     * @return true when this call ended a session; false for a malformed, unknown or expired token, or a session
     *     that had ended already
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public boolean revoke(String token, String sourceIp, String requestId) {
        return revoker.byRefreshToken(token, SessionEndReason.TOKEN_REVOKED, sourceIp, requestId).isPresent();
    }

    /** What {@link #revokeApplicationToken} did. */
    public enum ApplicationRevocation {
        /** The family was this application's and this call ended it. */
        FAMILY_ENDED,
        /** A malformed, unknown or expired token, or the application's family had ended already: nothing to do. */
        NOTHING,
        /**
         * A refresh token Latchkey holds that was not issued to this application (another application's family, or a
         * sign-in session's {@code lkr_} token): nothing revoked.
         */
        ANOTHER_CLIENT
    }

    /**
     * Revocation by an authenticated application (RFC 7009 §2.1: the server "verifies whether the token was issued
     * to the client making the revocation request"): the token's family is revoked only when it is bound to
     * {@code clientId} ({@link Session#application()}); the same reads as {@link #revoke} (the token's item, its
     * family's item), and the conditional revocation.
     *
     * @param token the {@code token} parameter as sent
     * @param clientId the authenticated application, {@code app_…}
     * @param sourceIp the caller's address, for the audit event
     * @param requestId the request id, for the audit event
     * @return what was done
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public ApplicationRevocation revokeApplicationToken(String token, String clientId, String sourceIp,
            String requestId) {
        Optional<Session> family = revoker.ofRefreshToken(token);
        if (family.isEmpty()) {
            return ApplicationRevocation.NOTHING;
        }
        if (!family.get().application().filter(app -> app.clientId().equals(clientId)).isPresent()) {
            return ApplicationRevocation.ANOTHER_CLIENT;
        }
        return revoker.revoke(family.get(), SessionEndReason.TOKEN_REVOKED, sourceIp, requestId)
                ? ApplicationRevocation.FAMILY_ENDED : ApplicationRevocation.NOTHING;
    }

    /**
     * Whether the token is a refresh token Latchkey issued and still holds (active or rotated, not expired): one
     * strongly consistent read, nothing changed.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public boolean isKnown(String token) {
        Optional<RefreshToken> parsed = RefreshToken.parse(token);
        Instant now = clock.instant();
        return parsed.flatMap(t -> sessions.findRefreshToken(crypto.tokenId(t)))
                .filter(r -> now.isBefore(r.expiresAt())).isPresent();
    }
}
