package dev.latchkey.core.apikey;

import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.principal.SensitiveOperations;
import dev.latchkey.core.ratelimit.RateLimit;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The longest chain of makers a key may have: a key made by a person, then at most this many generations of keys
     * made by keys. It bounds the rate-limit writes of one verify (one per limited key of the chain).
     */
    public static final int MAX_ANCESTORS = 4;

    /** Attempts of a family's revocation or delete while keys of the family change meanwhile. */
    static final int CASCADE_ATTEMPTS = 3;

    /** The ending of the permissions whose grant to a new key takes a step-up. */
    static final String MANAGE_SUFFIX = ":manage";

    private final ApiKeyRepository keys;
    private final ApiKeyHasher hasher;
    private final ApiKeyCache cache;
    private final IdGenerator ids;
    private final SecureRandom random;
    private final Clock clock;
    private final ApiKeyAudit audit;
    private final SensitiveOperations stepUp;

    /**
     * @param keys the store
     * @param hasher hashes new secrets
     * @param cache dropped on every change
     * @param ids key and event ids
     * @param random new secrets
     * @param clock times
     * @param stepUp the step-up of a user creating a key with a {@code *:manage} permission
     */
    public ManageApiKeys(ApiKeyRepository keys, ApiKeyHasher hasher, ApiKeyCache cache, IdGenerator ids,
            SecureRandom random, Clock clock, SensitiveOperations stepUp) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = new ApiKeyAudit(ids, clock);
        this.stepUp = Objects.requireNonNull(stepUp, "stepUp");
    }

    /**
     * Creates a key ({@code api_key:create}). The caller must hold every permission it grants
     * ({@link OrgAccess#requireCanGrant}). A key created by an API key — its maker — joins the maker's family
     * (docs/api-keys.md "Keys made by keys"): it carries the chain of its makers ({@link ApiKey#ancestors}) and is
     * revoked with any of them; it never outlives its maker ({@code expires_at} is capped at the maker's); it is never
     * less limited (without a {@code rate_limit} it gets the maker's, a higher rate or a bigger burst is refused) and
     * every use of it also draws on the maker's budget ({@link VerifyApiKey}). Otherwise a leaked short-lived or
     * limited key could mint itself a permanent, unlimited copy that survives its revocation. The maker is read
     * again (strongly consistent) for its chain, and the chain is at most {@value #MAX_ANCESTORS} keys long. A user
     * creating a key with a {@code *:manage} permission steps up first ({@link SensitiveOperations}, issue 14 item 6):
     * such a key manages the organization's teams or resources without any sign-in, so a stolen, older session must
     * not mint one.
     *
     * @return the key and its secret, shown once
     * @throws AccessException 403 for a permission the caller cannot grant, or a key's looser rate limit
     * @throws ApiKeyException 409 {@code MAKER_REVOKED} when the calling key was revoked, expired or deleted
     *     meanwhile, {@code TOO_MANY_GENERATIONS} when the maker is already {@value #MAX_ANCESTORS} generations
     *     below a person
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 for a user granting a {@code *:manage}
     *     permission without a recent enough sign-in
     */
    public CreatedApiKey create(OrgAccess access, CreateApiKeyCommand command, RequestOrigin origin) {
        access.requireCanGrant(command.permissions());
        if (command.permissions().stream().anyMatch(p -> p.endsWith(MANAGE_SUFFIX))) {
            stepUp.requireStepUp(access.caller());
        }
        Instant now = now();
        Optional<Instant> expiresAt = command.expiresInDays().map(days -> now.plus(Duration.ofDays(days)));
        Optional<RateLimit> rateLimit = command.rateLimit();
        List<ApiKeyAncestor> ancestors = List.of();
        ApiKeyOwnerData owner = command.owner();
        if (access.caller() instanceof Caller.ApiKey caller) {
            ApiKey maker = keys.find(caller.keyId())
                    .filter(k -> k.organizationId().equals(access.organizationId()))
                    .filter(k -> k.state(clock.instant()) == ApiKeyState.ACTIVE)
                    .orElseThrow(ManageApiKeys::makerRevoked);
            if (maker.credits().isPresent()) {
                throw AccessException.meteredMaker();
            }
            if (maker.ancestors().size() >= MAX_ANCESTORS) {
                throw ApiKeyException.conflict("TOO_MANY_GENERATIONS", "A key made by keys is at most "
                        + MAX_ANCESTORS + " generations below a key made by a person.");
            }
            expiresAt = earliest(expiresAt, maker.expiresAt());
            rateLimit = noLooser(rateLimit, maker.rateLimit());
            owner = withinAllowList(owner, maker.owner().allowedIps());
            List<ApiKeyAncestor> chain = new ArrayList<>(maker.ancestors());
            chain.add(ApiKeyAncestor.of(maker));
            ancestors = chain;
        }
        String keyId = ids.next(IdPrefix.API_KEY);
        ApiKeyToken token = ApiKeyToken.generate(keyId, random);
        ApiKey key = new ApiKey(keyId, access.organizationId(), command.name(), command.description(),
                command.permissions(), now, access.caller().actor().id(), expiresAt, rateLimit,
                Optional.empty(), ApiKeySecrets.of(hasher.hash(token)), 0, Optional.empty(), 1, ancestors,
                command.credits().map(c -> ApiKeyCredits.of(c.remaining(), c.refill(), now)), command.rateLimits(),
                owner);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("permission_count", Integer.toString(key.permissions().size()));
        key.credits().ifPresent(c -> details.put("credits", Long.toString(c.remaining())));
        if (!ancestors.isEmpty()) {
            details.put("generation", Integer.toString(ancestors.size()));
        }
        keys.create(key, audit.event(ApiKeyAudit.CREATED, access.caller(), key.organizationId(), keyId, origin,
                details));
        return new CreatedApiKey(key, token);
    }

    private static ApiKeyException makerRevoked() {
        return ApiKeyException.conflict("MAKER_REVOKED", "The calling key is no longer valid.");
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

    /**
     * A key made by a key with an IP allow-list is never usable from elsewhere: without an allow-list of its own it
     * gets its maker's; with one, every range must lie within one of its maker's.
     */
    private static ApiKeyOwnerData withinAllowList(ApiKeyOwnerData requested, List<IpRange> maker) {
        if (maker.isEmpty()) {
            return requested;
        }
        if (requested.allowedIps().isEmpty()) {
            return new ApiKeyOwnerData(maker, requested.externalId(), requested.meta());
        }
        boolean within = requested.allowedIps().stream().allMatch(range -> maker.stream().anyMatch(range::within));
        if (!within) {
            throw AccessException.cannotLoosenAllowList();
        }
        return requested;
    }

    /**
     * Changes a key's settings ({@code api_key:create}; docs/api-keys.md "Changing a key"): its external id (the
     * index item moves in the same transaction), meta, default and named rate limits and allow-list. Audited as
     * {@code api_key.updated} ({@code fields}: the names changed, never their values). The rules of create hold:
     * <ul>
     *   <li>an API key may change only keys it made (directly or not), never itself or its makers (403
     *       {@code NOT_OWN_FAMILY}): a limited key must not lift its own limits;</li>
     *   <li>a key made by a key stays within its maker: its default limit no looser (403 {@code LOOSER_THAN_CALLER}),
     *       its allow-list within its maker's (removing it gives it its maker's);</li>
     *   <li>the default rate limit and the allow-list of a key that can make keys ({@code api_key:create}) do not
     *       change (409 {@code MAKER_KEY}): the keys it made carry a copy of its limit and were checked against its
     *       list when they were made, so changing either would let them outrun it; make a new key instead;</li>
     *   <li>a revoked key does not change (409 {@code REVOKED}).</li>
     * </ul>
     *
     * @return the key as stored
     * @throws ApiKeyException 404 when it does not exist here; 409 as above or when it changed meanwhile
     * @throws AccessException 403 as above
     */
    public ApiKey update(OrgAccess access, String keyId, ApiKeyUpdate update, RequestOrigin origin) {
        ApiKey key = find(access, keyId);
        if (access.caller() instanceof Caller.ApiKey caller && !key.descendsFrom(caller.keyId())) {
            throw AccessException.cannotChangeOutsideFamily();
        }
        if (key.revocation().isPresent()) {
            throw ApiKeyException.conflict("REVOKED", "A revoked key does not change.");
        }
        boolean limitOrList = update.changes(ApiKeyUpdate.Field.RATE_LIMIT)
                || update.changes(ApiKeyUpdate.Field.ALLOWED_IPS);
        if (limitOrList && key.permissions().contains(dev.latchkey.core.principal.Permissions.API_KEY_CREATE)) {
            throw ApiKeyException.conflict("MAKER_KEY", "The rate limit and allow-list of a key that can make keys "
                    + "do not change: the keys it made are bound to them. Make a new key instead.");
        }
        Optional<RateLimit> rateLimit = update.changes(ApiKeyUpdate.Field.RATE_LIMIT) ? update.rateLimit()
                : key.rateLimit();
        List<NamedRateLimit> named = update.changes(ApiKeyUpdate.Field.RATE_LIMITS) ? update.rateLimits()
                : key.rateLimits();
        if (named.size() + (rateLimit.isPresent() ? 1 : 0) > NamedRateLimit.MAX_PER_KEY) {
            throw ApiKeyException.invalid("rate_limits", "TOO_MANY", "A key has at most "
                    + NamedRateLimit.MAX_PER_KEY + " rate limits.");
        }
        ApiKeyOwnerData owner = new ApiKeyOwnerData(
                update.changes(ApiKeyUpdate.Field.ALLOWED_IPS) ? update.allowedIps() : key.owner().allowedIps(),
                update.changes(ApiKeyUpdate.Field.EXTERNAL_ID) ? update.externalId() : key.owner().externalId(),
                update.changes(ApiKeyUpdate.Field.META) ? update.meta() : key.owner().meta());
        if (!key.ancestors().isEmpty() && limitOrList) {
            ApiKeyAncestor maker = key.ancestors().get(key.ancestors().size() - 1);
            if (update.changes(ApiKeyUpdate.Field.RATE_LIMIT)) {
                rateLimit = noLooser(rateLimit, maker.rateLimit());
            }
            if (update.changes(ApiKeyUpdate.Field.ALLOWED_IPS)) {
                ApiKey makerKey = keys.find(maker.keyId()).orElseThrow(ManageApiKeys::makerRevoked);
                owner = withinAllowList(owner, makerKey.owner().allowedIps());
            }
        }
        ApiKey updated = key.withSettings(rateLimit, named, owner);
        String fields = update.fields().stream().sorted().map(ApiKeyUpdate.Field::text)
                .collect(java.util.stream.Collectors.joining(","));
        keys.updateSettings(key, updated, audit.event(ApiKeyAudit.UPDATED, access.caller(), key.organizationId(),
                keyId, origin, Map.of("fields", fields)));
        cache.invalidate(keyId);
        return updated;
    }

    /**
     * The organization's keys with this external id, newest first, at most {@value ApiKeyQuery#MAX_LIMIT}
     * ({@code api_key:read}).
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} for a malformed external id
     */
    public List<ApiKey> listByExternalId(OrgAccess access, String externalId, int limit) {
        ApiKeyOwnerData.requireExternalId(externalId);
        return keys.findByExternalId(access.organizationId(), externalId, limit);
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
     * Revokes a key ({@code api_key:revoke}) and every key it made, transitively (docs/api-keys.md "Keys made by
     * keys"): the next verify of any of them says {@code REVOKED}. Each cascaded revocation is its own
     * {@code api_key.revoked} event ({@code cascaded_from} = this key) with the revocation's who and when; this
     * key's event counts them ({@code descendants_revoked}). Revoking a revoked key revokes only what it made that
     * is still not revoked, and otherwise changes nothing (the first revocation's who and why stay). The key is
     * {@linkplain ApiKeyRepository#freezeFamily frozen} first, so no key can join the family while it is read and
     * revoked, however fast keys are made; a member revoked or deleted by someone else meanwhile makes the family be
     * read again (3 attempts).
     *
     * @param reason free text, up to 500 characters
     * @throws ApiKeyException 404 when it does not exist here; 409 when it changed concurrently three times
     */
    public ApiKey revoke(OrgAccess access, String keyId, Optional<String> reason, RequestOrigin origin) {
        Optional<String> checkedReason = reason.flatMap(r -> CreateApiKeyCommand.text("reason", r,
                CreateApiKeyCommand.MAX_DESCRIPTION, true));
        for (int attempt = 1; ; attempt++) {
            ApiKey key = find(access, keyId);
            keys.freezeFamily(key);
            List<ApiKey> pending = pendingDescendants(key);
            if (key.revocation().isPresent() && pending.isEmpty()) {
                return key;
            }
            Revocation revocation = new Revocation(now(), access.caller().actor().id(), checkedReason);
            List<ApiKeyChange> changes = cascade(access, key, pending, revocation, origin);
            ApiKey result = key;
            if (key.revocation().isEmpty()) {
                result = key.revoked(revocation);
                changes.add(new ApiKeyChange(result, audit.event(ApiKeyAudit.REVOKED, access.caller(),
                        key.organizationId(), keyId, origin, Map.of("reason_given",
                                Boolean.toString(checkedReason.isPresent()), "descendants_revoked",
                                Integer.toString(pending.size())))));
            }
            try {
                keys.revoke(key, changes);
            } catch (ApiKeyException e) {
                if (!retry(e, attempt)) {
                    throw e;
                }
                continue;
            } finally {
                changes.forEach(change -> cache.invalidate(change.key().id()));
            }
            return result;
        }
    }

    /** The key's descendants that are not revoked yet, deepest first. */
    private List<ApiKey> pendingDescendants(ApiKey key) {
        return keys.descendants(key).stream().filter(d -> d.revocation().isEmpty()).toList();
    }

    /** The revocations of the descendants, each with its {@code api_key.revoked} event naming the cause. */
    private List<ApiKeyChange> cascade(OrgAccess access, ApiKey cause, List<ApiKey> descendants,
            Revocation revocation, RequestOrigin origin) {
        List<ApiKeyChange> changes = new ArrayList<>();
        Revocation inherited = new Revocation(revocation.revokedAt(), revocation.revokedBy(),
                Optional.of("Revoked with " + cause.id() + ", which made it (directly or through other keys)."));
        for (ApiKey descendant : descendants) {
            changes.add(new ApiKeyChange(descendant.revoked(inherited), audit.event(ApiKeyAudit.REVOKED,
                    access.caller(), descendant.organizationId(), descendant.id(), origin,
                    Map.of("reason_given", "false", "cascaded_from", cause.id()))));
        }
        return changes;
    }

    private static boolean retry(ApiKeyException e, int attempt) {
        return attempt < CASCADE_ATTEMPTS && "CONCURRENT_CHANGE".equals(e.details().get("reason"));
    }

    /**
     * Gives a key a new secret ({@code api_key:create}, and the caller must be able to grant every
     * permission of the key, {@link OrgAccess#requireCanGrant} — else rolling would hand out what it
     * lacks). The previous secret keeps
     * working while now is before {@code rolledAt + previousGrace} and not a moment longer; a secret
     * from before an earlier roll stops at once. Revoked or expired keys cannot be rolled.
     *
     * <p>An API key may roll only itself and the keys it made (directly or through other keys): a new secret of its
     * maker, or of any other key, would be a key outside its own expiry, rate-limit budget and revocation (issue 11
     * §3, docs/api-keys.md "Keys made by keys").
     *
     * @param previousGrace 0 (the old secret stops now) to {@link #MAX_ROLL_GRACE}
     * @throws AccessException 403 for a permission the caller cannot grant, or a key rolling outside its family
     * @throws ApiKeyException 400 for a bad grace, 404 when it does not exist here, 409 when it is revoked,
     *     expired or changed concurrently
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 for a user rolling a key with a
     *     {@code *:manage} permission without a recent enough sign-in (as {@link #create})
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
        if (key.permissions().stream().anyMatch(p -> p.endsWith(MANAGE_SUFFIX))) {
            // A new secret of a *:manage key is a new *:manage credential: the same step-up as creating one.
            stepUp.requireStepUp(access.caller());
        }
        if (access.caller() instanceof Caller.ApiKey caller && !keyId.equals(caller.keyId())
                && !key.descendsFrom(caller.keyId())) {
            throw AccessException.cannotRollOutsideFamily();
        }
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
     * Deletes a key for ever ({@code api_key:delete}) and revokes every key it made, transitively, in the same
     * transaction (as {@link #revoke}); the next verify of it says {@code NOT_FOUND}, of its descendants
     * {@code REVOKED}.
     *
     * @throws ApiKeyException 404 when it does not exist here; 409 when it changed concurrently three times
     */
    public void delete(OrgAccess access, String keyId, RequestOrigin origin) {
        for (int attempt = 1; ; attempt++) {
            ApiKey key = find(access, keyId);
            keys.freezeFamily(key);
            List<ApiKey> pending = pendingDescendants(key);
            List<ApiKeyChange> changes = cascade(access, key, pending,
                    new Revocation(now(), access.caller().actor().id(), Optional.empty()), origin);
            try {
                keys.delete(key, changes, audit.event(ApiKeyAudit.DELETED, access.caller(), key.organizationId(),
                        keyId, origin, pending.isEmpty() ? Map.of() : Map.of("descendants_revoked",
                                Integer.toString(pending.size()))));
            } catch (ApiKeyException e) {
                if (!retry(e, attempt)) {
                    throw e;
                }
                continue;
            } finally {
                cache.invalidate(keyId);
                changes.forEach(change -> cache.invalidate(change.key().id()));
            }
            return;
        }
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

    /**
     * Sets a key's credits ({@code api_key:create}; docs/api-keys.md "Usage credits"), or with empty makes it
     * unlimited again; a refill's current period counts as refilled. Audited as {@code api_key.credits_changed}
     * ({@code operation} {@code set} or {@code unlimited}, {@code remaining}). An API key may change only the keys it
     * made (directly or not), never its own nor its makers': a metered key must not refill itself.
     *
     * @return the key with its new credits
     * @throws ApiKeyException 404 when it does not exist here
     * @throws AccessException 403 {@code NOT_OWN_FAMILY} for an API key changing a key it did not make
     */
    public ApiKey setCredits(OrgAccess access, String keyId, Optional<ApiKeyCredits> credits, RequestOrigin origin) {
        ApiKey key = creditTarget(access, keyId);
        Instant now = now();
        Optional<ApiKeyCredits> stored = credits.map(c -> ApiKeyCredits.of(c.remaining(), c.refill(), now));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("operation", stored.isPresent() ? "set" : "unlimited");
        stored.ifPresent(c -> details.put("remaining", Long.toString(c.remaining())));
        stored.flatMap(ApiKeyCredits::refill).ifPresent(r -> details.put("refill", r.interval().text() + ":"
                + r.amount()));
        keys.setCredits(key, stored, audit.event(ApiKeyAudit.CREDITS_CHANGED, access.caller(),
                key.organizationId(), keyId, origin, details));
        cache.invalidate(keyId);
        return key.withCredits(stored);
    }

    /**
     * Adds credits to a metered key ({@code api_key:create}), atomically: verifies spending meanwhile are kept.
     * Audited as {@code api_key.credits_changed} ({@code operation} {@code add}, {@code amount}).
     *
     * @return the key as read again after the change
     * @throws ApiKeyException 400 for an amount out of 1–{@value ApiKeyCredits#MAX}; 404 when it does not exist
     *     here; 409 {@code NO_CREDITS} when it has no credits (it is unlimited)
     * @throws AccessException 403 {@code NOT_OWN_FAMILY} as {@link #setCredits}
     */
    public ApiKey addCredits(OrgAccess access, String keyId, long amount, RequestOrigin origin) {
        if (amount < 1 || amount > ApiKeyCredits.MAX) {
            throw ApiKeyException.invalid("amount", "OUT_OF_RANGE", "Field 'amount' is 1 to " + ApiKeyCredits.MAX
                    + ".");
        }
        ApiKey key = creditTarget(access, keyId);
        if (key.credits().isEmpty()) {
            throw ApiKeyException.conflict("NO_CREDITS", "The key has no credits: it is unlimited; set them instead.");
        }
        keys.addCredits(key, amount, audit.event(ApiKeyAudit.CREDITS_CHANGED, access.caller(), key.organizationId(),
                keyId, origin, Map.of("operation", "add", "amount", Long.toString(amount))));
        cache.invalidate(keyId);
        return find(access, keyId);
    }

    private ApiKey creditTarget(OrgAccess access, String keyId) {
        ApiKey key = find(access, keyId);
        if (access.caller() instanceof Caller.ApiKey caller && !key.descendsFrom(caller.keyId())) {
            throw AccessException.cannotChangeCreditsOutsideFamily();
        }
        return key;
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
