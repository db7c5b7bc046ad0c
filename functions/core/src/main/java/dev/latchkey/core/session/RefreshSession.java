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
 * The refresh-token grant (RFC 6749 §6) of a sign-in session's {@code lkr_} tokens, with rotation on every use and
 * reuse detection (RFC 9700 §4.14.2; SECURITY.md [10.4.5], [10.4.8]) by {@link RefreshFamilies}, the machinery it
 * shares with applications' refresh tokens. An application's family (or {@code lka_} token) is never refreshed
 * here: it would mint a management token for the user.
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

    private final UserProfiles users;
    private final SessionTokens tokens;
    private final SessionAudit audit;
    private final TokenAudiences audiences;
    private final RefreshFamilies families;

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
        this.users = users;
        this.tokens = tokens;
        this.audit = new SessionAudit(audit, ids, clock);
        this.families = new RefreshFamilies(sessions, crypto, policy, audit, ids, clock, random);
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
     * @throws SessionException {@code invalidGrant} for every refusal of the refresh token (an application's
     *     {@code lka_} token included: it is refreshed only by its application, never here)
     * @throws InvalidTargetException when the token is usable but the resource is unknown or the user is no member
     *     of its organization (nothing written)
     * @throws InvalidScopeException when the token is usable but the scope asks for more than is granted (nothing
     *     written)
     * @throws StoreUnavailableException when the store fails (nothing half-written)
     */
    public TokenResponse refresh(String presented, Optional<RefreshTarget> target, String sourceIp,
            String requestId) {
        Objects.requireNonNull(target, "target");
        RefreshToken token = RefreshToken.parse(presented).filter(t -> !t.isApplication())
                .orElseThrow(SessionException::invalidGrant);
        Decision decision = new Decision(target, sourceIp, requestId);
        return families.refresh(token, new RefreshFamilies.Kind<TokenResponse>() {
            @Override
            public Optional<RefreshFamilies.Refusal> refusal(Session family, Instant now) {
                return family.application().isPresent() ? Optional.of(RefreshFamilies.Refusal.of("application_family"))
                        : Optional.empty();
            }

            @Override
            public RefreshFamilies.Prepared<TokenResponse> prepare(Session session) {
                Optional<ResourceAccess> resource = decision.of(session);
                UserProfile user = user(session, sourceIp, requestId);
                String accessToken = tokens.accessToken(session, resource);
                return new RefreshFamilies.Prepared<>() {
                    @Override
                    public TokenResponse respond(Session family, RefreshToken refreshToken) {
                        return tokens.response(accessToken, family, refreshToken, user, resource);
                    }

                    @Override
                    public Map<String, String> details() {
                        return RefreshSession.details(resource);
                    }
                };
            }
        }, sourceIp, requestId);
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

    private static Map<String, String> details(Optional<ResourceAccess> resource) {
        Map<String, String> details = new LinkedHashMap<>();
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
        return families.failed(session, reason, sourceIp, requestId);
    }
}
