package dev.latchkey.core.apikey;

import dev.latchkey.core.access.AccessException;
import dev.latchkey.core.access.Caller;
import dev.latchkey.core.access.OrgAccess;
import dev.latchkey.core.account.RequestOrigin;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.ratelimit.RateLimit;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The management use cases of {@code /v1/orgs/{orgId}/api-keys} (API.md "api-keys"), each taking an
 * {@link OrgAccess} the {@link dev.latchkey.core.access.Authorizer} granted for the route's permission.
 * A key of another organization answers 404 exactly like a key that does not exist (SECURITY.md
 * [8.2.2]). Every change is stored with its audit event in one transaction and dropped from the
 * container's {@link ApiKeyCache}, so this container's next verify sees it; other containers read the
 * table on every verify unless a cache TTL is configured (docs/api-keys.md).
 */
public final class ManageApiKeys {

    /** The most keys {@link #stats} reads. */
    public static final int STATS_MAX_KEYS = 10_000;

    /** The longest grace for the previous secret after a roll: 30 days. */
    public static final Duration MAX_ROLL_GRACE = Duration.ofDays(30);

    private final ApiKeyRepository keys;
    private final ApiKeyHasher hasher;
    private final ApiKeyCache cache;
    private final IdGenerator ids;
    private final SecureRandom random;
    private final Clock clock;
    private final ApiKeyAudit audit;

    /**
     * @param keys the store
     * @param hasher hashes new secrets
     * @param cache dropped on every change
     * @param ids key and event ids
     * @param random new secrets
     * @param clock times
     */
    public ManageApiKeys(ApiKeyRepository keys, ApiKeyHasher hasher, ApiKeyCache cache, IdGenerator ids,
            SecureRandom random, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = new ApiKeyAudit(ids, clock);
    }

    /**
     * Creates a key ({@code api_key:create}). The caller must hold every permission it grants
     * ({@link OrgAccess#requireCanGrant}). A key created by an API key never outlives it ({@code expires_at}
     * is capped at the creator's) and is never less limited: without a {@code rate_limit} it gets the
     * creator's, and one with a higher rate or a bigger burst than the creator's is refused — else a
     * leaked short-lived or limited key could mint itself a permanent, unlimited copy.
     *
     * @return the key and its secret, shown once
     * @throws AccessException 403 for a permission the caller cannot grant, or a key's looser rate limit
     */
    public CreatedApiKey create(OrgAccess access, CreateApiKeyCommand command, RequestOrigin origin) {
        access.requireCanGrant(command.permissions());
        Instant now = now();
        Optional<Instant> expiresAt = command.expiresInDays().map(days -> now.plus(Duration.ofDays(days)));
        Optional<RateLimit> rateLimit = command.rateLimit();
        if (access.caller() instanceof Caller.ApiKey parent) {
            expiresAt = earliest(expiresAt, parent.expiresAt());
            rateLimit = noLooser(rateLimit, parent.rateLimit());
        }
        String keyId = ids.next(IdPrefix.API_KEY);
        ApiKeyToken token = ApiKeyToken.generate(keyId, random);
        ApiKey key = new ApiKey(keyId, access.organizationId(), command.name(), command.description(),
                command.permissions(), now, access.caller().actor().id(), expiresAt, rateLimit,
                Optional.empty(), ApiKeySecrets.of(hasher.hash(token)), 0, Optional.empty(), 1);
        keys.create(key, audit.event(ApiKeyAudit.CREATED, access.caller(), key.organizationId(), keyId, origin,
                Map.of("permission_count", Integer.toString(key.permissions().size()))));
        return new CreatedApiKey(key, token);
    }

    private static Optional<Instant> earliest(Optional<Instant> requested, Optional<Instant> parent) {
        if (parent.isEmpty()) {
            return requested;
        }
        return Optional.of(requested.filter(r -> r.isBefore(parent.get())).orElse(parent.get()));
    }

    /**
     * The child's limit, or the parent's when the child asks for none; refused when looser: a higher rate
     * (limit per second) or a bigger burst (limit per window) than the parent's.
     */
    private static Optional<RateLimit> noLooser(Optional<RateLimit> requested, Optional<RateLimit> parent) {
        if (parent.isEmpty()) {
            return requested;
        }
        if (requested.isEmpty()) {
            return parent;
        }
        // requested.limit / requested.window > parent.limit / parent.window, without division.
        long child = (long) requested.get().limit() * parent.get().window().getSeconds();
        long own = (long) parent.get().limit() * requested.get().window().getSeconds();
        if (child > own || requested.get().limit() > parent.get().limit()) {
            throw AccessException.cannotLoosenRateLimit();
        }
        return requested;
    }

    /** One page of the organization's keys ({@code api_key:read}). */
    public ApiKeyPage list(OrgAccess access, ApiKeyQuery query) {
        return keys.list(access.organizationId(), query);
    }

    /**
     * One key ({@code api_key:read}).
     *
     * @throws ApiKeyException 404 when it does not exist in this organization
     */
    public ApiKey show(OrgAccess access, String keyId) {
        return find(access, keyId);
    }

    /**
     * Revokes a key ({@code api_key:revoke}): the next verify of it says {@code REVOKED}. Revoking a
     * revoked key changes nothing and answers the key as it is (the first revocation's who and why stay).
     *
     * @param reason free text, up to 500 characters
     * @throws ApiKeyException 404 when it does not exist here; 409 when it changed concurrently
     */
    public ApiKey revoke(OrgAccess access, String keyId, Optional<String> reason, RequestOrigin origin) {
        Optional<String> checkedReason = reason.flatMap(r -> CreateApiKeyCommand.text("reason", r,
                CreateApiKeyCommand.MAX_DESCRIPTION, true));
        ApiKey key = find(access, keyId);
        if (key.revocation().isPresent()) {
            return key;
        }
        ApiKey revoked = key.revoked(new Revocation(now(), access.caller().actor().id(), checkedReason));
        keys.update(revoked, audit.event(ApiKeyAudit.REVOKED, access.caller(), key.organizationId(), keyId, origin,
                Map.of("reason_given", Boolean.toString(checkedReason.isPresent()))));
        cache.invalidate(keyId);
        return revoked;
    }

    /**
     * Gives a key a new secret ({@code api_key:create}, and the caller must be able to grant every
     * permission of the key, {@link OrgAccess#requireCanGrant} — else rolling would hand out what it
     * lacks). The previous secret keeps
     * working while now is before {@code rolledAt + previousGrace} and not a moment longer; a secret
     * from before an earlier roll stops at once. Revoked or expired keys cannot be rolled.
     *
     * @param previousGrace 0 (the old secret stops now) to {@link #MAX_ROLL_GRACE}
     * @throws ApiKeyException 400 for a bad grace, 404 when it does not exist here, 409 when it is revoked,
     *     expired or changed concurrently
     */
    public CreatedApiKey roll(OrgAccess access, String keyId, Duration previousGrace, RequestOrigin origin) {
        if (previousGrace.isNegative() || previousGrace.compareTo(MAX_ROLL_GRACE) > 0) {
            throw ApiKeyException.invalid("previous_expires_in_seconds", "OUT_OF_RANGE",
                    "Field 'previous_expires_in_seconds' is 0 to " + MAX_ROLL_GRACE.toSeconds() + ".");
        }
        ApiKey key = find(access, keyId);
        Instant now = now();
        ApiKeyState state = key.state(now);
        if (state != ApiKeyState.ACTIVE) {
            throw ApiKeyException.conflict(state.name(), "Only an active key can be rolled; this one is "
                    + state.text() + ".");
        }
        access.requireCanGrant(key.permissions());
        ApiKeyToken token = ApiKeyToken.generate(keyId, random);
        ApiKeySecrets secrets = previousGrace.isZero() ? ApiKeySecrets.of(hasher.hash(token))
                : new ApiKeySecrets(hasher.hash(token), Optional.of(key.secrets().current()),
                        Optional.of(now.plus(previousGrace)));
        ApiKey rolled = key.withSecrets(secrets);
        keys.update(rolled, audit.event(ApiKeyAudit.ROLLED, access.caller(), key.organizationId(), keyId, origin,
                Map.of("previous_expires_in_seconds", Long.toString(previousGrace.toSeconds()))));
        cache.invalidate(keyId);
        return new CreatedApiKey(rolled, token);
    }

    /**
     * Deletes a key for ever ({@code api_key:delete}); the next verify of it says {@code NOT_FOUND}.
     *
     * @throws ApiKeyException 404 when it does not exist here
     */
    public void delete(OrgAccess access, String keyId, RequestOrigin origin) {
        ApiKey key = find(access, keyId);
        keys.delete(keyId, key.organizationId(), audit.event(ApiKeyAudit.DELETED, access.caller(),
                key.organizationId(), keyId, origin, Map.of()));
        cache.invalidate(keyId);
    }

    /**
     * Counts of the organization's keys ({@code api_key:read}): by state at this moment, by permission
     * (active keys), and usage totals. Reads every key, {@value #STATS_MAX_KEYS} at most; beyond that
     * the answer says {@code truncated}.
     */
    public ApiKeyStatistics stats(OrgAccess access) {
        Instant now = now();
        Map<String, Integer> byState = new java.util.LinkedHashMap<>();
        for (ApiKeyState state : ApiKeyState.values()) {
            byState.put(state.text(), 0);
        }
        Map<String, Integer> byPermission = new java.util.TreeMap<>();
        long uses = 0;
        Optional<Instant> lastUsed = Optional.empty();
        int total = 0;
        Optional<String> cursor = Optional.empty();
        boolean truncated = false;
        do {
            ApiKeyPage page = keys.list(access.organizationId(), ApiKeyQuery.everything(cursor));
            for (ApiKey key : page.keys()) {
                total++;
                ApiKeyState state = key.state(now);
                byState.merge(state.text(), 1, Integer::sum);
                if (state == ApiKeyState.ACTIVE) {
                    key.permissions().forEach(p -> byPermission.merge(p, 1, Integer::sum));
                }
                uses += key.useCount();
                if (key.lastUsedAt().isPresent()
                        && (lastUsed.isEmpty() || key.lastUsedAt().get().isAfter(lastUsed.get()))) {
                    lastUsed = key.lastUsedAt();
                }
            }
            cursor = page.nextCursor();
            if (cursor.isPresent() && total >= STATS_MAX_KEYS) {
                truncated = true;
                break;
            }
        } while (cursor.isPresent());
        return new ApiKeyStatistics(total, byState, byPermission, uses, lastUsed, truncated);
    }

    /** Times in responses and records to the millisecond, as everywhere else in the API. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private ApiKey find(OrgAccess access, String keyId) {
        if (!ApiKeyToken.isKeyId(keyId)) {
            throw ApiKeyException.notFound();
        }
        return keys.find(keyId).filter(k -> k.organizationId().equals(access.organizationId()))
                .orElseThrow(ApiKeyException::notFound);
    }
}
