package dev.latchkey.core.session;

import dev.latchkey.core.access.MfaRequiredException;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.RequestedScope;
import dev.latchkey.core.resource.ResourceAccess;
import dev.latchkey.core.resource.TokenAudiences;
import dev.latchkey.core.store.StoreUnavailableException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 *
 * <p><b>For a resource</b> ({@link RefreshTarget}: RFC 8707 {@code resource} or {@code audience}, and
 * optionally {@code scope}): once the presented token is known to be usable — ACTIVE in a usable session, or a
 * grace replay as in 4 — and <em>before</em> anything is written, {@link TokenAudiences#forUser} decides for
 * the session's user (member of the resource's organization; direct grants ∪ grants to the user's teams, read
 * strongly consistently, so a removed grant counts on the next refresh) and {@link RequestedScope#narrow}
 * narrows. A refusal throws {@link InvalidTargetException}, {@link MfaRequiredException} (the resource's
 * organization requires a second factor the session's sign-in did not use) or {@link InvalidScopeException} (audited
 * {@code session.refresh_failed} with reason {@code invalid_target} / {@code mfa_required} / {@code invalid_scope}):
 * the token is not rotated and stays usable. Otherwise the rotation (or replay) happens as above and the access token
 * has {@code aud} = the resource's audience, {@code org} = the resource's organization, {@code scope} = the granted
 * (narrowed) scopes, and the session's {@code sid}, {@code amr}, {@code auth_time}; the response carries
 * {@code scope}. A grace replay answers the stored successor with a fresh access token for the resource the
 * <em>replay</em> names (which resource the lost response was for is not stored), decided anew. A reused
 * (rule 5) or unusable token fails with {@code invalid_grant} before the resource is looked at: reuse
 * detection never depends on the resource asked for.
 */
public final class RefreshSession {

    private static final int ATTEMPTS = 3;

    /** The grant model of a refresh without resources: no audience is known. */
    private static final TokenAudiences NO_RESOURCES = new TokenAudiences() {
        @Override
        public ResourceAccess forUser(String audience, String userId, List<String> amr) {
            throw new InvalidTargetException();
        }

        @Override
        public ResourceAccess forClient(String audience, String organizationId, String clientId,
                List<String> allowedResources) {
            throw new InvalidTargetException();
        }

        @Override
        public ResourceAccess forApiKey(String audience, String organizationId, Set<String> permissions) {
            throw new InvalidTargetException();
        }
    };

    private final SessionRepository sessions;
    private final UserProfiles users;
    private final RefreshTokenCrypto crypto;
    private final SessionTokens tokens;
    private final SessionPolicy policy;
    private final SessionAudit audit;
    private final TokenAudiences audiences;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * Without resources: every refresh with a {@link RefreshTarget} is refused with {@link InvalidTargetException}.
     *
     * @see #RefreshSession(SessionRepository, UserProfiles, RefreshTokenCrypto, SessionTokens, SessionPolicy,
     *     TokenAudiences, AuditLog, IdGenerator, Clock, SecureRandom)
     */
    public RefreshSession(SessionRepository sessions, UserProfiles users, RefreshTokenCrypto crypto,
            SessionTokens tokens, SessionPolicy policy, AuditLog audit, IdGenerator ids, Clock clock,
            SecureRandom random) {
        this(sessions, users, crypto, tokens, policy, NO_RESOURCES, audit, ids, clock, random);
    }

    /**
     * @param sessions the store
     * @param users the users the responses name
     * @param crypto token ids and sealed successors
     * @param tokens mints access tokens
     * @param policy lifetimes and the reuse grace
     * @param audiences the grant model, for a refresh with a {@link RefreshTarget}
     * @param audit where the outcome is recorded
     * @param ids event ids
     * @param clock the time source
     * @param random new refresh tokens
     */
    public RefreshSession(SessionRepository sessions, UserProfiles users, RefreshTokenCrypto crypto,
            SessionTokens tokens, SessionPolicy policy, TokenAudiences audiences, AuditLog audit, IdGenerator ids,
            Clock clock, SecureRandom random) {
        this.audiences = Objects.requireNonNull(audiences, "audiences");
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
     * Refreshes with a presented refresh token, answering the session's own access token.
     *
     * @see #refresh(String, Optional, String, String)
     */
    public TokenResponse refresh(String presented, String sourceIp, String requestId) {
        return refresh(presented, Optional.empty(), sourceIp, requestId);
    }

    /**
     * Refreshes with a presented refresh token.
     *
     * @param presented the {@code refresh_token} parameter as sent
     * @param target the resource the access token is for; empty for the session's own access token
     * @param sourceIp the caller's address, for the audit event
     * @param requestId the request id, for the audit event
     * @return the new (or, within the grace, the already issued) refresh token and a new access token
     * @throws SessionException {@code invalidGrant} for every refusal of the refresh token
     * @throws InvalidTargetException when the token is usable but the resource is unknown or the user is no member
     *     of its organization (nothing written)
     * @throws InvalidScopeException when the token is usable but the scope asks for more than is granted (nothing
     *     written)
     * @throws StoreUnavailableException when the store fails (nothing half-written)
     */
    public TokenResponse refresh(String presented, Optional<RefreshTarget> target, String sourceIp,
            String requestId) {
        Objects.requireNonNull(target, "target");
        RefreshToken token = RefreshToken.parse(presented).orElseThrow(SessionException::invalidGrant);
        String tokenId = crypto.tokenId(token);
        Decision decision = new Decision(target, sourceIp, requestId);
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
                return replayed(token, tokenId, record, session, decision, now, sourceIp, requestId);
            }
            if (record.generation() != session.generation()) {
                // The two reads straddled a concurrent rotation: the token is ROTATED by now; read again.
                continue;
            }
            Optional<ResourceAccess> resource = decision.of(session);
            UserProfile user = user(session, sourceIp, requestId);
            RefreshToken successor = RefreshToken.generate(random);
            String successorId = crypto.tokenId(successor);
            Instant idleExpiresAt = session.idleExpiryAfterUseAt(now, policy);
            String accessToken = tokens.accessToken(session, resource);
            boolean rotated = sessions.rotate(new Rotation(session.sessionId(), session.generation(), tokenId,
                    successorId, crypto.sealSuccessor(token, tokenId, successor), now, idleExpiresAt,
                    session.refreshTokenExpiry()));
            if (rotated) {
                audit.record(SessionAudit.REFRESHED, session, Outcome.SUCCESS,
                        details(session.generation() + 1, false, resource), sourceIp, requestId);
                return tokens.response(accessToken, session, successor, user, resource);
            }
            // Another request rotated this token (or ended the session) first: look again.
        }
        throw new StoreUnavailableException(new IllegalStateException("refresh kept losing to concurrent writes"));
    }

    private TokenResponse replayed(RefreshToken token, String tokenId, RefreshTokenRecord record, Session session,
            Decision decision, Instant now, String sourceIp, String requestId) {
        boolean withinGrace = !now.isAfter(record.rotatedAt().orElseThrow().plus(policy.reuseGrace()));
        boolean successorUnused = session.generation() == record.generation() + 1;
        if (withinGrace && successorUnused) {
            Optional<RefreshToken> successor = crypto.openSuccessor(token, tokenId,
                    record.successorSealed().orElseThrow());
            if (successor.isPresent()) {
                Optional<ResourceAccess> resource = decision.of(session);
                UserProfile user = user(session, sourceIp, requestId);
                TokenResponse response = tokens.response(tokens.accessToken(session, resource), session,
                        successor.get(), user, resource);
                audit.record(SessionAudit.REFRESHED, session, Outcome.SUCCESS,
                        details(session.generation(), true, resource), sourceIp, requestId);
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

    /**
     * The grant model's answer for the session's user, narrowed by the requested scope; empty without a target.
     * Reads only: a refusal leaves the refresh token as it was.
     */
    private Optional<ResourceAccess> granted(Session session, Optional<RefreshTarget> target, String sourceIp,
            String requestId) {
        if (target.isEmpty()) {
            return Optional.empty();
        }
        ResourceAccess access;
        try {
            access = audiences.forUser(target.get().audience(), session.userId(), session.amr());
        } catch (InvalidTargetException e) {
            audit.record(SessionAudit.REFRESH_FAILED, session, Outcome.FAILURE, Map.of("reason", "invalid_target"),
                    sourceIp, requestId);
            throw e;
        } catch (MfaRequiredException e) {
            audit.record(SessionAudit.REFRESH_FAILED, session, Outcome.FAILURE, Map.of("reason", "mfa_required",
                    "mfa_enrolled", Boolean.toString(e.enrolled())), sourceIp, requestId);
            throw e;
        }
        try {
            return Optional.of(new ResourceAccess(access.resource(), RequestedScope.narrow(access,
                    target.get().scope())));
        } catch (InvalidScopeException e) {
            audit.record(SessionAudit.REFRESH_FAILED, session, Outcome.FAILURE, Map.of("reason", "invalid_scope",
                    "resource_id", access.resource().resourceId()), sourceIp, requestId);
            throw e;
        }
    }

    /**
     * The grant model's answer for one request, asked at most once: a rotation retried after losing a race (the
     * same session, so the same user) reuses it instead of reading the grants again.
     */
    private final class Decision {

        private final Optional<RefreshTarget> target;
        private final String sourceIp;
        private final String requestId;
        private Optional<ResourceAccess> answer;

        Decision(Optional<RefreshTarget> target, String sourceIp, String requestId) {
            this.target = target;
            this.sourceIp = sourceIp;
            this.requestId = requestId;
        }

        Optional<ResourceAccess> of(Session session) {
            if (answer == null) {
                answer = granted(session, target, sourceIp, requestId);
            }
            return answer;
        }
    }

    private static Map<String, String> details(long generation, boolean graceReplay,
            Optional<ResourceAccess> resource) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("generation", Long.toString(generation));
        if (graceReplay) {
            details.put("grace_replay", "true");
        }
        resource.ifPresent(r -> {
            details.put("resource_id", r.resource().resourceId());
            details.put("scope", String.join(" ", r.scopes()));
        });
        return details;
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
