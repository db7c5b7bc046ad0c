package dev.latchkey.core.apikey;

import dev.latchkey.core.access.ApiKeyAuthenticator;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.FixedWindow;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks a presented API key (API.md {@code POST /v1/api-keys/verify}; ARCHITECTURE.md §5), in this order:
 * <ol>
 *   <li>format and checksum ({@link ApiKeyToken#parse}) — no I/O for a mistyped or made-up key;</li>
 *   <li>the key by id: the container's {@link ApiKeyCache} when enabled and warm, else one strongly
 *       consistent {@code GetItem};</li>
 *   <li>the keyed hash against the current secret and, during a roll's grace, the previous one — both
 *       compared in constant time. Any mismatch is {@code NOT_FOUND}, like an unknown id: the states
 *       below are only ever told to a holder of the secret;</li>
 *   <li>{@code REVOKED}, then {@code EXPIRED} (at {@code now ≥ expires_at});</li>
 *   <li>{@code IP_NOT_ALLOWED} when the key has an allow-list and the client's address (the verify request's, or
 *       the caller's own when the key is presented to Latchkey) is missing or outside it — audited as
 *       {@code api_key.ip_denied};</li>
 *   <li>{@code PERMISSION_DENIED} when a permission was asked about and the key lacks it;</li>
 *   <li>the key's own rate limit, if it has one, then each of its makers' (a key made by a key draws on its
 *       makers' budgets): one atomic counter {@code UpdateItem} per limited key ({@code RATE_LIMITED} over any);</li>
 *   <li>for a key with {@linkplain ApiKeyCredits credits}, the verification's cost: one conditional
 *       {@code UpdateItem} that never spends below zero and applies a due refill in the same write
 *       ({@link ApiKeyRepository#spendCredits}; {@code USAGE_EXCEEDED} when too few are left, with no write at all
 *       when none are left or the cost is 0). A key with credits and its own limit (no limited maker) makes steps 7
 *       and 8 one conditional {@code UpdateItem}: the limit's window is counted on the key's item
 *       ({@link ApiKeyRepository#spendWithinLimit});</li>
 *   <li>valid: the use is counted by {@link ApiKeyUsage} (coalesced, no write per verify).</li>
 * </ol>
 * Every verification of a known key (all but {@code NOT_FOUND}) is counted by outcome and day by
 * {@link VerificationAnalytics}, in memory; its writes are flushed per container, not per verify.
 * So a verify costs one read (zero with a warm cache) — a revoked maker needs no read, since a family's
 * revocation writes every member ({@link ManageApiKeys#revoke}) — plus one counter write per limited key of the
 * chain (at most {@value ManageApiKeys#MAX_ANCESTORS} + 1), plus one credits write for a key with credits — the same
 * one write as its own limit's when it has one and no limited maker — plus a usage write at most every 10 s per key
 * and container.
 */
public final class VerifyApiKey implements ApiKeyAuthenticator {

    private final ApiKeyRepository keys;
    private final ApiKeyHasher hasher;
    private final RateLimiter limiter;
    private final ApiKeyUsage usage;
    private final ApiKeyCache cache;
    private final Clock clock;
    private final Optional<AuditLog> audit;
    private final ApiKeyAudit events;
    private final VerificationAnalytics analytics;

    /**
     * @param keys the store
     * @param hasher hashes the presented key
     * @param limiter per-key counters
     * @param usage counts successful verifications
     * @param cache optional short cache ({@link ApiKeyCache#disabled} by default)
     * @param clock expiry and grace
     */
    public VerifyApiKey(ApiKeyRepository keys, ApiKeyHasher hasher, RateLimiter limiter, ApiKeyUsage usage,
            ApiKeyCache cache, Clock clock) {
        this(keys, hasher, limiter, usage, cache, clock, Optional.empty(), null,
                VerificationAnalytics.disabled(clock));
    }

    /**
     * With the audit log that records refused addresses ({@code api_key.ip_denied}).
     *
     * @param audit where IP denials go (fail closed: a denial that cannot be audited is a 503)
     * @param ids event ids
     */
    public VerifyApiKey(ApiKeyRepository keys, ApiKeyHasher hasher, RateLimiter limiter, ApiKeyUsage usage,
            ApiKeyCache cache, Clock clock, AuditLog audit, IdGenerator ids) {
        this(keys, hasher, limiter, usage, cache, clock, Optional.of(audit), Objects.requireNonNull(ids, "ids"),
                VerificationAnalytics.disabled(clock));
    }

    /**
     * With the audit log and the verification analytics, which count every verification of a known key by outcome
     * (docs/api-keys.md "Verification analytics": in memory, flushed per container, no request per verify).
     *
     * @param analytics this container's counts
     */
    public VerifyApiKey(ApiKeyRepository keys, ApiKeyHasher hasher, RateLimiter limiter, ApiKeyUsage usage,
            ApiKeyCache cache, Clock clock, AuditLog audit, IdGenerator ids, VerificationAnalytics analytics) {
        this(keys, hasher, limiter, usage, cache, clock, Optional.of(audit), Objects.requireNonNull(ids, "ids"),
                analytics);
    }

    private VerifyApiKey(ApiKeyRepository keys, ApiKeyHasher hasher, RateLimiter limiter, ApiKeyUsage usage,
            ApiKeyCache cache, Clock clock, Optional<AuditLog> audit, IdGenerator ids,
            VerificationAnalytics analytics) {
        this.analytics = Objects.requireNonNull(analytics, "analytics");
        this.audit = audit;
        this.events = ids == null ? null : new ApiKeyAudit(ids, clock);
        this.keys = Objects.requireNonNull(keys, "keys");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies a key, optionally for one permission.
     *
     * @param presented the key as the caller sent it (may be anything)
     * @param permission a permission the key must hold
     * @throws ApiKeyException {@code VALIDATION_ERROR} for a malformed permission (checked first)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed)
     */
    public Verification verify(String presented, Optional<String> permission) {
        return verify(presented, permission, 1);
    }

    /**
     * Verifies a key, optionally for one permission, spending {@code cost} of its credits if it has credits.
     *
     * @param cost 0 (check without spending) to {@value ApiKeyCredits#MAX}; ignored for a key without credits
     * @throws ApiKeyException {@code VALIDATION_ERROR} for a malformed permission or a cost out of range (checked
     *     first)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed)
     */
    public Verification verify(String presented, Optional<String> permission, long cost) {
        return verify(presented, permission, VerifyOptions.cost(cost));
    }

    /**
     * Verifies a key with the request's options: its credits cost and the named rate limit to apply, with its cost.
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} for a malformed permission (checked first), and
     *     {@code rate_limit.name} {@code UNKNOWN} when the key (its secret matched) has no rate limit of that name
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed)
     */
    public Verification verify(String presented, Optional<String> permission, VerifyOptions options) {
        Verification verification = check(presented, permission, options);
        analytics.record(verification);
        return verification;
    }

    private Verification check(String presented, Optional<String> permission, VerifyOptions options) {
        Objects.requireNonNull(permission, "permission");
        long cost = options.cost();
        if (permission.isPresent() && !Permissions.isValid(permission.get())) {
            throw ApiKeyException.invalid("permission", "INVALID_FORMAT", "Field 'permission' is not a permission.");
        }
        Optional<ApiKeyToken> token = ApiKeyToken.parse(presented);
        if (token.isEmpty()) {
            return Verification.failed(VerificationFailure.NOT_FOUND, Optional.empty(), Optional.empty());
        }
        Optional<ApiKey> found = lookup(token.get().keyId());
        Instant now = clock.instant();
        // Hash even for an unknown id, so that timing does not tell unknown ids from wrong secrets.
        byte[] hash = hasher.hash(token.get());
        if (found.isEmpty() || !found.get().secrets().accepts(hash, now)) {
            return Verification.failed(VerificationFailure.NOT_FOUND, Optional.empty(), Optional.empty());
        }
        ApiKey key = found.get();
        switch (key.state(now)) {
            case REVOKED:
                return Verification.failed(VerificationFailure.REVOKED, found, Optional.empty());
            case EXPIRED:
                return Verification.failed(VerificationFailure.EXPIRED, found, Optional.empty());
            default:
                break;
        }
        if (!key.owner().allows(options.clientIp())) {
            audit.ifPresent(log -> log.record(events.event(ApiKeyAudit.IP_DENIED, Actor.apiKey(key.id()),
                    key.organizationId(), key.id(), Outcome.FAILURE,
                    RequestOrigin.of(options.clientIp().orElse(null), null),
                    Map.of("reason", options.clientIp().isPresent() ? "NOT_IN_ALLOW_LIST" : "NO_CLIENT_IP"))));
            return Verification.failed(VerificationFailure.IP_NOT_ALLOWED, found, Optional.empty());
        }
        if (permission.isPresent() && !key.permissions().contains(permission.get())) {
            return Verification.failed(VerificationFailure.PERMISSION_DENIED, found, Optional.empty());
        }
        Optional<NamedRateLimit> own = ownLimit(key, options);
        if (key.credits().isPresent() && own.isPresent() && countedOnTheKey(key, own.get())) {
            return metered(key, own.get(), options, now);
        }
        Optional<RateLimitDecision> decision = consume(key, own, options);
        if (decision.isPresent() && !decision.get().allowed()) {
            return Verification.failed(VerificationFailure.RATE_LIMITED, found, decision);
        }
        OptionalLong credits = OptionalLong.empty();
        if (key.credits().isPresent()) {
            long left = key.credits().get().at(now).remaining();
            credits = left == 0 ? OptionalLong.empty() : cost == 0 ? OptionalLong.of(left)
                    : keys.spendCredits(key, cost, now);
            if (credits.isEmpty()) {
                return usageExceeded(found, decision, left, cost);
            }
        }
        usage.record(key.id());
        return new Verification(Optional.empty(), found, decision, credits);
    }

    /**
     * Counts the use against the key's own limit — the named one the verify asked for (with its cost), else its
     * default one — and then against each limited ancestor's default limit (one request), its maker first
     * (docs/api-keys.md "Keys made by keys"): a family never uses more than any maker's budget. Stops at the
     * first denial, so a child over its own limit does not drain its makers' budgets. The ancestors' limits are
     * stored on the key: no read, one counter write per limited key of the chain.
     *
     * @return empty when no key of the chain is limited; else the denial, or the allowing decision with the fewest
     *     remaining requests (what the response headers tell)
     */
    private Optional<RateLimitDecision> consume(ApiKey key, Optional<NamedRateLimit> own, VerifyOptions options) {
        Optional<RateLimitDecision> tightest = Optional.empty();
        if (own.isPresent()) {
            RateLimitDecision decision = limiter.consume(own.get().bucket(key.id()), own.get().limit(),
                    options.rateLimitCost());
            if (!decision.allowed()) {
                return Optional.of(decision);
            }
            tightest = Optional.of(decision);
        }
        List<ApiKeyAncestor> chain = key.ancestors();
        for (int i = chain.size() - 1; i >= 0; i--) {
            ApiKeyAncestor member = chain.get(i);
            if (member.rateLimit().isEmpty()) {
                continue;
            }
            RateLimitDecision decision = limiter.consume("apikey:" + member.keyId(), member.rateLimit().get());
            if (!decision.allowed()) {
                return Optional.of(decision);
            }
            if (tightest.isEmpty() || decision.remaining() < tightest.get().remaining()) {
                tightest = Optional.of(decision);
            }
        }
        return tightest;
    }

    /** The key's own limit the verify applies: the named one it asks for, else the default one (if any). */
    private static Optional<NamedRateLimit> ownLimit(ApiKey key, VerifyOptions options) {
        return options.rateLimit().isPresent()
                ? Optional.of(key.rateLimit(options.rateLimit().get()).orElseThrow(() -> ApiKeyException.invalid(
                        "rate_limit.name", "UNKNOWN", "The key has no rate limit of that name.")))
                : key.rateLimit(NamedRateLimit.DEFAULT);
    }

    /**
     * Whether a key with credits counts its own limit {@code own} on its item, with its credits, in one write: unless
     * a maker of the key is limited (its limit must be counted before the credits are spent, and a refused verify
     * spends nothing: that chain keeps one write per limited key, then the credits), and unless {@code own} is the
     * default limit of a key that can make keys (the keys it made count their uses against that limit's counter
     * item, {@code RATE#apikey:<keyId>}: the budget stays one counter).
     */
    private static boolean countedOnTheKey(ApiKey key, NamedRateLimit own) {
        boolean sharedWithMade = NamedRateLimit.DEFAULT.equals(own.name())
                && key.permissions().contains(Permissions.API_KEY_CREATE);
        return !sharedWithMade && key.ancestors().stream().noneMatch(a -> a.rateLimit().isPresent());
    }

    /**
     * Steps 7 and 8 for a key with credits and its own limit, in one conditional write
     * ({@link ApiKeyRepository#spendWithinLimit}; docs/api-keys.md "One write for credits and the key's own limit"):
     * a window full as read, or too few credits as read, is refused with no write at all (the limit is told first).
     */
    private Verification metered(ApiKey key, NamedRateLimit own, VerifyOptions options, Instant now) {
        long cost = options.cost();
        long left = key.credits().orElseThrow().at(now).remaining();
        RateLimit limit = own.limit();
        MeteredSpend spend = keys.spendWithinLimit(key, own, options.rateLimitCost(), cost, now);
        Optional<RateLimitDecision> decision = Optional.of(FixedWindow.decide(spend.count(), now, limit));
        Optional<ApiKey> found = Optional.of(key);
        if (!spend.withinLimit()) {
            return Verification.failed(VerificationFailure.RATE_LIMITED, found, decision);
        }
        if (spend.credits().isEmpty()) {
            return usageExceeded(found, decision, left, cost);
        }
        usage.record(key.id());
        return new Verification(Optional.empty(), found, decision, spend.credits());
    }

    /**
     * {@code USAGE_EXCEEDED}: fewer than {@code cost} credits of the {@code left} read were there to spend; the
     * answer's {@code credits_remaining} is what was left, at most {@code cost - 1}.
     */
    private static Verification usageExceeded(Optional<ApiKey> found, Optional<RateLimitDecision> decision, long left,
            long cost) {
        return new Verification(Optional.of(VerificationFailure.USAGE_EXCEEDED), found, decision,
                OptionalLong.of(Math.max(0, Math.min(left, cost - 1))));
    }

    /**
     * Authenticates a caller by its key, for the management routes and the token exchange. A key with credits spends
     * one: an authentication is a use (so a metered key cannot be traded for an unmetered token).
     *
     * @throws AccessException 401 for a key that is not valid (never says why)
     * @throws RateLimitedException 429 with the key's rate-limit headers when it is over its limit
     */
    @Override
    public Caller.ApiKey authenticate(String presented) {
        return authenticate(presented, Optional.empty());
    }

    /** As {@link #authenticate(String)}, the key presented from {@code sourceIp} (its allow-list applies). */
    @Override
    public Caller.ApiKey authenticate(String presented, Optional<String> sourceIp) {
        Verification verification = verify(presented, Optional.empty(), new VerifyOptions(1, Optional.empty(), 1,
                sourceIp));
        if (verification.failure().filter(f -> f == VerificationFailure.RATE_LIMITED).isPresent()) {
            throw new RateLimitedException(verification.rateLimit().orElseThrow());
        }
        if (!verification.valid()) {
            throw AccessException.authenticationFailed();
        }
        ApiKey key = verification.key().orElseThrow();
        return new Caller.ApiKey(key.id(), key.organizationId(), new HashSet<>(key.permissions()), key.expiresAt(),
                key.rateLimit());
    }

    private Optional<ApiKey> lookup(String keyId) {
        Optional<ApiKey> cached = cache.get(keyId);
        if (cached.isPresent()) {
            return cached;
        }
        long stamp = cache.stamp();
        Optional<ApiKey> read = keys.find(keyId);
        read.ifPresent(key -> cache.put(key, stamp));
        return read;
    }
}
