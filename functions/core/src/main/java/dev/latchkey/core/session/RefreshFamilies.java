package dev.latchkey.core.session;

import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.store.StoreUnavailableException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one rotation and reuse-detection machinery of refresh-token families (RFC 6749 §6, RFC 9700 §4.14.2;
 * SECURITY.md [10.4.5], [10.4.8]), shared by a sign-in session's refresh ({@link RefreshSession}) and an
 * application's ({@code offline_access}, {@code dev.latchkey.core.application.RefreshSignInTokens}). What differs
 * between them is a {@link Kind}: who may use the family, and what a refresh answers. The policy, exactly:
 * <ol>
 *   <li>The token's item {@code REFRESH#<HMAC-SHA256(pepper, token)>} must exist and not be past
 *       {@code expiresAt}, and its session must exist, be ACTIVE, and be before both its idle and its absolute
 *       expiry; else {@code invalid_grant} (audited {@code session.refresh_failed} with the reason).</li>
 *   <li>The kind may refuse the family ({@link Kind#refusal}: another client's, or a family of the other kind, or
 *       an application family whose sign-in session has ended — that one is revoked then): {@code invalid_grant},
 *       audited with the reason, before the token's state is looked at.</li>
 *   <li><b>ACTIVE token</b> → the kind prepares the answer ({@link Kind#prepare}: reads and signing only; a
 *       refusal there leaves the token unspent), then one conditional transaction rotates: this token ACTIVE →
 *       ROTATED keeping the successor sealed under a key only this token derives, the successor stored ACTIVE, the
 *       session at generation + 1 with {@code lastUsedAt = now} and {@code idleExpiresAt = min(now + idle,
 *       absolute)}. Audit {@code session.refreshed}. A lost race reads again (at most 3 attempts).</li>
 *   <li><b>ROTATED token</b> within {@link SessionPolicy#reuseGrace()} whose successor is still current → the same
 *       successor with a fresh answer, nothing written ({@code grace_replay = true}).</li>
 *   <li><b>Any other ROTATED token</b> → reuse: the whole family is revoked ({@code refresh_token_reuse}), audit
 *       {@code session.refresh_reuse_detected}, {@code invalid_grant}.</li>
 * </ol>
 * Every refusal of the token itself is the same {@link SessionException#invalidGrant()}.
 */
public final class RefreshFamilies {

    private static final int ATTEMPTS = 3;

    private final SessionRepository sessions;
    private final RefreshTokenCrypto crypto;
    private final SessionPolicy policy;
    private final SessionAudit audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param sessions the store
     * @param crypto token ids and sealed successors
     * @param policy lifetimes and the reuse grace
     * @param audit where outcomes are recorded
     * @param ids session and event ids
     * @param clock the time source
     * @param random new refresh tokens
     */
    public RefreshFamilies(SessionRepository sessions, RefreshTokenCrypto crypto, SessionPolicy policy,
            AuditLog audit, IdGenerator ids, Clock clock, SecureRandom random) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.audit = new SessionAudit(audit, ids, clock);
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** What one kind of family adds to the shared rotation. */
    public interface Kind<T> {

        /**
         * Whether this request may use the family at all; reads only.
         *
         * @return empty when it may; else the refusal (its reason is audited)
         */
        Optional<Refusal> refusal(Session family, Instant now);

        /**
         * Everything before the write, for a usable token: decisions, reads, signing. Called at most once per
         * request is up to the kind (a retried rotation calls it again with the same family).
         *
         * @throws RuntimeException to refuse; nothing is written then and the token stays usable
         */
        Prepared<T> prepare(Session family);
    }

    /**
     * A kind's answer, waiting for its refresh token.
     *
     * @param <T> the answer
     */
    public interface Prepared<T> {

        /** The answer with the family's new (or, in a grace replay, already issued) refresh token. */
        T respond(Session family, RefreshToken refreshToken);

        /** Details for the {@code session.refreshed} event (no token, no secret). */
        Map<String, String> details();
    }

    /**
     * A kind's refusal of a family.
     *
     * @param reason the audited reason
     * @param ends when present, the family is revoked with this reason
     */
    public record Refusal(String reason, Optional<SessionEndReason> ends) {

        /** A refusal that leaves the family as it is. */
        public static Refusal of(String reason) {
            return new Refusal(reason, Optional.empty());
        }
    }

    /**
     * Starts an application's refresh family ({@code offline_access}) bound to a sign-in session: one transaction
     * writes the family (its own {@code ses_…}) and its first token ({@code lka_…}).
     *
     * @param signInSessionId the sign-in session the code was issued in
     * @param clientId the application
     * @param scope the granted scopes ({@code offline_access} included)
     * @param amr the original ID token's {@code amr}
     * @param authTime the original ID token's {@code auth_time}
     * @return the family's id and first token, or empty when the sign-in session is gone or no longer usable
     */
    public Optional<Started> startForApplication(String signInSessionId, String clientId, List<String> scope,
            List<String> amr, Instant authTime) {
        Instant now = clock.instant();
        Optional<Session> signIn = sessions.find(signInSessionId).filter(s -> s.isUsableAt(now))
                .filter(s -> s.application().isEmpty());
        if (signIn.isEmpty()) {
            return Optional.empty();
        }
        Session family = Session.startForApplication(ids.next(IdPrefix.SESSION), signIn.get(),
                new SessionApplication(clientId, signInSessionId, scope), amr, authTime, now, policy);
        RefreshToken token = RefreshToken.generateForApplication(random);
        sessions.create(family, RefreshTokenRecord.active(crypto.tokenId(token), family.sessionId(), 1,
                family.refreshTokenExpiry()));
        return Optional.of(new Started(family.sessionId(), token));
    }

    /**
     * A new application family.
     *
     * @param familyId its {@code ses_…} (not the sign-in session's)
     * @param token its first refresh token
     */
    public record Started(String familyId, RefreshToken token) {
    }

    /**
     * Refreshes with a presented token of a family of this kind.
     *
     * @throws SessionException {@code invalidGrant} for every refusal of the token
     * @throws StoreUnavailableException when the store fails (nothing half-written)
     */
    public <T> T refresh(RefreshToken token, Kind<T> kind, String sourceIp, String requestId) {
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
            Optional<Refusal> refusal = kind.refusal(session, now);
            if (refusal.isPresent()) {
                refusal.get().ends().ifPresent(reason -> {
                    if (sessions.revoke(session.sessionId(), now, reason)) {
                        audit.record(SessionAudit.REVOKED, session, Outcome.SUCCESS, Map.of("reason", reason.code()),
                                sourceIp, requestId);
                    }
                });
                throw failed(session, refusal.get().reason(), sourceIp, requestId);
            }
            if (record.state() == RefreshTokenState.ROTATED) {
                return replayed(token, tokenId, record, session, kind, now, sourceIp, requestId);
            }
            if (record.generation() != session.generation()) {
                // The two reads straddled a concurrent rotation: the token is ROTATED by now; read again.
                continue;
            }
            Prepared<T> prepared = kind.prepare(session);
            RefreshToken successor = token.next(random);
            String successorId = crypto.tokenId(successor);
            Instant idleExpiresAt = session.idleExpiryAfterUseAt(now, policy);
            boolean rotated = sessions.rotate(new Rotation(session.sessionId(), session.generation(), tokenId,
                    successorId, crypto.sealSuccessor(token, tokenId, successor), now, idleExpiresAt,
                    session.refreshTokenExpiry()));
            if (rotated) {
                audit.record(SessionAudit.REFRESHED, session, Outcome.SUCCESS,
                        details(session.generation() + 1, false, prepared), sourceIp, requestId);
                return prepared.respond(session, successor);
            }
            // Another request rotated this token (or ended the session) first: look again.
        }
        throw new StoreUnavailableException(new IllegalStateException("refresh kept losing to concurrent writes"));
    }

    private <T> T replayed(RefreshToken token, String tokenId, RefreshTokenRecord record, Session session,
            Kind<T> kind, Instant now, String sourceIp, String requestId) {
        boolean withinGrace = !now.isAfter(record.rotatedAt().orElseThrow().plus(policy.reuseGrace()));
        boolean successorUnused = session.generation() == record.generation() + 1;
        if (withinGrace && successorUnused) {
            Optional<RefreshToken> successor = crypto.openSuccessor(token, tokenId,
                    record.successorSealed().orElseThrow());
            if (successor.isPresent()) {
                Prepared<T> prepared = kind.prepare(session);
                T response = prepared.respond(session, successor.get());
                audit.record(SessionAudit.REFRESHED, session, Outcome.SUCCESS,
                        details(session.generation(), true, prepared), sourceIp, requestId);
                return response;
            }
        }
        sessions.revoke(session.sessionId(), now, SessionEndReason.REFRESH_TOKEN_REUSE);
        Map<String, String> details = new LinkedHashMap<>(Map.of(
                "reason", SessionEndReason.REFRESH_TOKEN_REUSE.code(),
                "presented_generation", Long.toString(record.generation()),
                "current_generation", Long.toString(session.generation()),
                "within_grace", Boolean.toString(withinGrace)));
        session.application().ifPresent(app -> details.put("client_id", app.clientId()));
        audit.record(SessionAudit.REUSE_DETECTED, session, Outcome.FAILURE, details, sourceIp, requestId);
        throw SessionException.invalidGrant();
    }

    /** Audits {@code session.refresh_failed} for a known family and answers the refusal. */
    SessionException failed(Session session, String reason, String sourceIp, String requestId) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", reason);
        session.application().ifPresent(app -> details.put("client_id", app.clientId()));
        audit.record(SessionAudit.REFRESH_FAILED, session, Outcome.FAILURE, details, sourceIp, requestId);
        return SessionException.invalidGrant();
    }

    /** Audits {@code session.refresh_failed} with extra details. */
    void failed(Session session, Map<String, String> details, String sourceIp, String requestId) {
        audit.record(SessionAudit.REFRESH_FAILED, session, Outcome.FAILURE, details, sourceIp, requestId);
    }

    private static Map<String, String> details(long generation, boolean graceReplay, Prepared<?> prepared) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("generation", Long.toString(generation));
        if (graceReplay) {
            details.put("grace_replay", "true");
        }
        details.putAll(prepared.details());
        return details;
    }

    private static String unusableReason(Session session, Instant now) {
        if (session.status() == SessionStatus.REVOKED) {
            return "revoked";
        }
        return now.isBefore(session.absoluteExpiresAt()) ? "idle_expired" : "absolute_expired";
    }
}
