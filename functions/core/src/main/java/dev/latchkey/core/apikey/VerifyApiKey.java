package dev.latchkey.core.apikey;

import dev.latchkey.core.access.ApiKeyAuthenticator;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 *   <li>{@code PERMISSION_DENIED} when a permission was asked about and the key lacks it;</li>
 *   <li>the key's own rate limit, if it has one, then each of its makers' (a key made by a key draws on its
 *       makers' budgets): one atomic counter {@code UpdateItem} per limited key ({@code RATE_LIMITED} over any);</li>
 *   <li>valid: the use is counted by {@link ApiKeyUsage} (coalesced, no write per verify).</li>
 * </ol>
 * So a verify costs one read (zero with a warm cache) — a revoked maker needs no read, since a family's
 * revocation writes every member ({@link ManageApiKeys#revoke}) — plus one counter write per limited key of the
 * chain (at most {@value ManageApiKeys#MAX_ANCESTORS} + 1), plus a usage write at most every 10 s per key and
 * container.
 */
public final class VerifyApiKey implements ApiKeyAuthenticator {

    private final ApiKeyRepository keys;
    private final ApiKeyHasher hasher;
    private final RateLimiter limiter;
    private final ApiKeyUsage usage;
    private final ApiKeyCache cache;
    private final Clock clock;

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
        Objects.requireNonNull(permission, "permission");
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
        if (permission.isPresent() && !key.permissions().contains(permission.get())) {
            return Verification.failed(VerificationFailure.PERMISSION_DENIED, found, Optional.empty());
        }
        Optional<RateLimitDecision> decision = consume(key);
        if (decision.isPresent() && !decision.get().allowed()) {
            return Verification.failed(VerificationFailure.RATE_LIMITED, found, decision);
        }
        usage.record(key.id());
        return new Verification(Optional.empty(), found, decision);
    }

    /**
     * Counts the use against the key's own limit and then against each limited ancestor's, its maker first
     * (docs/api-keys.md "Keys made by keys"): a family never uses more than any maker's budget. Stops at the
     * first denial, so a child over its own limit does not drain its makers' budgets. The ancestors' limits are
     * stored on the key: no read, one counter write per limited key of the chain.
     *
     * @return empty when no key of the chain is limited; else the denial, or the allowing decision with the fewest
     *     remaining requests (what the response headers tell)
     */
    private Optional<RateLimitDecision> consume(ApiKey key) {
        List<ApiKeyAncestor> chain = new ArrayList<>(key.ancestors());
        chain.add(ApiKeyAncestor.of(key));
        Optional<RateLimitDecision> tightest = Optional.empty();
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

    /**
     * Authenticates a caller by its key, for the management routes and the token exchange.
     *
     * @throws AccessException 401 for a key that is not valid (never says why)
     * @throws RateLimitedException 429 with the key's rate-limit headers when it is over its limit
     */
    @Override
    public Caller.ApiKey authenticate(String presented) {
        Verification verification = verify(presented, Optional.empty());
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
