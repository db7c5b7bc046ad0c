package dev.latchkey.core.session;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Opens a session after a successful login (password or passkey): a new session at generation 1,
 * its first refresh token, and an access token — answered as a {@link TokenResponse}. The access
 * token is signed before anything is written, so a missing signing key leaves no orphan session.
 * Audits {@code session.started}.
 */
public final class StartSession {

    private final SessionRepository sessions;
    private final RefreshTokenCrypto crypto;
    private final SessionTokens tokens;
    private final SessionPolicy policy;
    private final SessionAudit audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param sessions the store
     * @param crypto token ids
     * @param tokens mints access tokens
     * @param policy lifetimes
     * @param audit where {@code session.started} goes
     * @param ids session and event ids
     * @param clock the time source
     * @param random refresh tokens
     */
    public StartSession(SessionRepository sessions, RefreshTokenCrypto crypto, SessionTokens tokens,
            SessionPolicy policy, AuditLog audit, IdGenerator ids, Clock clock,
            SecureRandom random) {
        this.sessions = sessions;
        this.crypto = crypto;
        this.tokens = tokens;
        this.policy = policy;
        this.audit = new SessionAudit(audit, ids, clock);
        this.ids = ids;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Starts the session.
     *
     * @throws IllegalArgumentException when an id or amr value is malformed (a caller bug)
     * @throws dev.latchkey.core.keys.NoActiveKeyException when no signing key is active
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (nothing written)
     */
    public TokenResponse start(StartSessionCommand command) {
        Instant now = clock.instant();
        Session session = Session.start(ids.next(IdPrefix.SESSION), command.user().id(), command.organizationId(),
                command.amr(), now, policy);
        RefreshToken refreshToken = RefreshToken.generate(random);
        String accessToken = tokens.accessToken(session);
        sessions.create(session, RefreshTokenRecord.active(crypto.tokenId(refreshToken), session.sessionId(), 1,
                session.refreshTokenExpiry()));
        audit.record(SessionAudit.STARTED, session, Outcome.SUCCESS, Map.of("amr", String.join(" ", session.amr())),
                command.sourceIp(), command.requestId());
        return tokens.response(accessToken, session, refreshToken, command.user(), Optional.empty());
    }
}
