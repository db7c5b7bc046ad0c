package dev.latchkey.core.session;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.store.StoreUnavailableException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The refresh-token grant (RFC 6749 §6) with rotation on every use and reuse detection
 * (RFC 9700 §4.14.2; SECURITY.md [10.4.5], [10.4.8]).
 *
 * <p><b>Policy, exactly:</b>
 * <ol>
 *   <li>The presented value must be shaped like a refresh token ({@link RefreshToken#parse}), else
 *       {@code invalid_grant} with no I/O at all.</li>
 *   <li>Its item {@code REFRESH#<HMAC-SHA256(pepper, token)>} must exist and not be past
 *       {@code expiresAt}, and its session must exist, be ACTIVE, and be before both its idle and
 *       its absolute expiry; else {@code invalid_grant} (audited {@code session.refresh_failed} with
 *       the reason).</li>
 *   <li><b>ACTIVE token</b> → rotate, in one conditional transaction: this token ACTIVE → ROTATED
 *       (condition {@code state = ACTIVE}) keeping the new token sealed under a key only this token
 *       derives, the new token stored ACTIVE ({@code attribute_not_exists}), the session at
 *       generation + 1 with {@code lastUsedAt = now} and {@code idleExpiresAt = min(now + idle,
 *       absolute)} (condition: ACTIVE, same generation, not expired). Answer the new token and a
 *       fresh access token; audit {@code session.refreshed}. If the transaction loses to another
 *       rotation, the token is read again and handled as ROTATED below (at most 3 attempts).</li>
 *   <li><b>ROTATED token</b>, presented at most {@link SessionPolicy#reuseGrace()} after its
 *       {@code rotatedAt} (inclusive) <em>and</em> its successor is still the session's current
 *       generation (never used) → answer that same successor with a fresh access token, write
 *       nothing (audit {@code session.refreshed}, {@code grace_replay = true}). So a retry after a lost
 *       response, or two parallel refreshes with one token, get the same new token and the session
 *       rotates exactly once.</li>
 *   <li><b>Any other ROTATED token</b> (after the grace, or its successor already used) → reuse:
 *       the whole session is revoked ({@code refresh_token_reuse}; every token of the family, the
 *       newest included, fails from now on), audit {@code session.refresh_reuse_detected}, answer
 *       {@code invalid_grant}.</li>
 * </ol>
 * Every failure is the same {@link SessionException#invalidGrant()}.
 */
public final class RefreshSession {

    private static final int ATTEMPTS = 3;

    private final SessionRepository sessions;
    private final UserProfiles users;
    private final RefreshTokenCrypto crypto;
    private final SessionTokens tokens;
    private final SessionPolicy policy;
    private final SessionAudit audit;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param sessions the store
     * @param users the users the responses name
     * @param crypto token ids and sealed successors
     * @param tokens mints access tokens
     * @param policy lifetimes and the reuse grace
     * @param audit where the outcome is recorded
     * @param ids event ids
     * @param clock the time source
     * @param random new refresh tokens
     */
    public RefreshSession(SessionRepository sessions, UserProfiles users, RefreshTokenCrypto crypto,
            SessionTokens tokens, SessionPolicy policy, AuditLog audit, IdGenerator ids, Clock clock,
            SecureRandom random) {
        this.sessions = sessions;
        this.users = users;
        this.crypto = crypto;
        this.tokens = tokens;
        this.policy = policy;
        this.audit = new SessionAudit(audit, ids, clock);
        this.clock = clock;
        this.random = random;
    }

    /**
     * Refreshes with a presented refresh token.
     *
     * @param presented the {@code refresh_token} parameter as sent
     * @param sourceIp the caller's address, for the audit event
     * @param requestId the request id, for the audit event
     * @return the new (or, within the grace, the already issued) refresh token and a new access token
     * @throws SessionException {@code invalidGrant} for every refusal
     * @throws StoreUnavailableException when the store fails (nothing half-written)
     */
    public TokenResponse refresh(String presented, String sourceIp, String requestId) {
        RefreshToken token = RefreshToken.parse(presented).orElseThrow(SessionException::invalidGrant);
        String tokenId = crypto.tokenId(token);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Optional<RefreshTokenRecord> found = sessions.findRefreshToken(tokenId)
                    .filter(r -> now.isBefore(r.expiresAt()));
            Optional<Session> owner = found.flatMap(r -> sessions.find(r.sessionId()));
            if (owner.isEmpty()) {
                audit.unknownToken(sourceIp, requestId);
                throw SessionException.invalidGrant();
            }
            RefreshTokenRecord record = found.get();
            Session session = owner.get();
            if (!session.isUsableAt(now)) {
                throw failed(session, unusableReason(session, now), sourceIp, requestId);
            }
            if (record.state() == RefreshTokenState.ROTATED) {
                return replayed(token, tokenId, record, session, now, sourceIp, requestId);
            }
            if (record.generation() != session.generation()) {
                // The two reads straddled a concurrent rotation: the token is ROTATED by now; read again.
                continue;
            }
            UserProfile user = user(session, sourceIp, requestId);
            RefreshToken successor = RefreshToken.generate(random);
            String successorId = crypto.tokenId(successor);
            Instant idleExpiresAt = session.idleExpiryAfterUseAt(now, policy);
            String accessToken = tokens.accessToken(session);
            boolean rotated = sessions.rotate(new Rotation(session.sessionId(), session.generation(), tokenId,
                    successorId, crypto.sealSuccessor(token, tokenId, successor), now, idleExpiresAt,
                    session.refreshTokenExpiry()));
            if (rotated) {
                audit.record(SessionAudit.REFRESHED, session, Outcome.SUCCESS,
                        Map.of("generation", Long.toString(session.generation() + 1)), sourceIp, requestId);
                return tokens.response(accessToken, session, successor, user);
            }
            // Another request rotated this token (or ended the session) first: look again.
        }
        throw new StoreUnavailableException(new IllegalStateException("refresh kept losing to concurrent writes"));
    }

    private TokenResponse replayed(RefreshToken token, String tokenId, RefreshTokenRecord record, Session session,
            Instant now, String sourceIp, String requestId) {
        boolean withinGrace = !now.isAfter(record.rotatedAt().orElseThrow().plus(policy.reuseGrace()));
        boolean successorUnused = session.generation() == record.generation() + 1;
        if (withinGrace && successorUnused) {
            Optional<RefreshToken> successor = crypto.openSuccessor(token, tokenId,
                    record.successorSealed().orElseThrow());
            if (successor.isPresent()) {
                UserProfile user = user(session, sourceIp, requestId);
                TokenResponse response = tokens.response(session, successor.get(), user);
                audit.record(SessionAudit.REFRESHED, session, Outcome.SUCCESS,
                        Map.of("generation", Long.toString(session.generation()), "grace_replay", "true"),
                        sourceIp, requestId);
                return response;
            }
        }
        sessions.revoke(session.sessionId(), now, SessionEndReason.REFRESH_TOKEN_REUSE);
        audit.record(SessionAudit.REUSE_DETECTED, session, Outcome.FAILURE, Map.of(
                "reason", SessionEndReason.REFRESH_TOKEN_REUSE.code(),
                "presented_generation", Long.toString(record.generation()),
                "current_generation", Long.toString(session.generation()),
                "within_grace", Boolean.toString(withinGrace)), sourceIp, requestId);
        throw SessionException.invalidGrant();
    }

    private UserProfile user(Session session, String sourceIp, String requestId) {
        return users.find(session.userId()).orElseThrow(() -> failed(session, "user_missing", sourceIp, requestId));
    }

    private SessionException failed(Session session, String reason, String sourceIp, String requestId) {
        audit.record(SessionAudit.REFRESH_FAILED, session, Outcome.FAILURE, Map.of("reason", reason), sourceIp,
                requestId);
        return SessionException.invalidGrant();
    }

    private static String unusableReason(Session session, Instant now) {
        if (session.status() == SessionStatus.REVOKED) {
            return "revoked";
        }
        return now.isBefore(session.absoluteExpiresAt()) ? "idle_expired" : "absolute_expired";
    }
}
