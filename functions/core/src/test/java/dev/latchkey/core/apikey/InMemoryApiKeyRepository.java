package dev.latchkey.core.apikey;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ApiKeyRepository} with the port's contract, for use-case tests (shared through the core
 * test jar). Every method is atomic (synchronized); each change records its audit event into the given
 * {@link AuditLog} as part of it (a failing log leaves nothing written), like the adapter's transaction.
 *
 * <ul>
 *   <li>{@link #create}: {@code CONFLICT} for an existing id, never overwrites;</li>
 *   <li>{@link #update}: {@code CONFLICT} unless the stored version is {@code updated.version() - 1}; writes
 *       only the revocation, the secrets and the version (usage counters stay as stored);</li>
 *   <li>{@link #delete}: {@code NOT_FOUND} unless the key exists in its organization, {@code CONFLICT} unless at
 *       the version read; revokes the given descendants with it;</li>
 *   <li>{@link #freezeFamily}: no key is created under a frozen key any more;</li>
 *   <li>{@link #revoke}: all or nothing, each change conditioned on the key existing unrevoked (a roll meanwhile
 *       is kept);</li>
 *   <li>{@link #descendants}: every key naming the key among its ancestors, deepest first;</li>
 *   <li>{@link #recordUsage}: adds the uses, moves {@code lastUsedAt} forward only, ignores a missing key;</li>
 *   <li>{@link #list}: newest first by {@code createdAt} then id, the query's filters, an opaque cursor bound
 *       to the organization ({@code VALIDATION_ERROR} for any other).</li>
 * </ul>
 * Tests count reads ({@link #finds()}) and usage writes ({@link #usageWrites()}), and can make the store
 * fail ({@link #failWith}, {@link #fail()}).
 */
public final class InMemoryApiKeyRepository implements ApiKeyRepository {

    private static final Comparator<ApiKey> NEWEST_FIRST = Comparator.comparing(ApiKey::createdAt)
            .thenComparing(ApiKey::id).reversed();

    private final AuditLog auditLog;
    private final Map<String, ApiKey> keys = new LinkedHashMap<>();
    private final java.util.Set<String> frozen = new java.util.HashSet<>();
    private final AtomicInteger finds = new AtomicInteger();
    private final AtomicInteger usageWrites = new AtomicInteger();
    private final AtomicInteger creditWrites = new AtomicInteger();
    private volatile RuntimeException failure;
    private Runnable beforeUpdate = () -> { };
    private Runnable afterFind = () -> { };

    /** @param auditLog receives the audit event of every change, in the same step */
    public InMemoryApiKeyRepository(AuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** A {@link StoreUnavailableException} as the adapter throws it after the SDK's retries. */
    public static StoreUnavailableException unavailable() {
        return new StoreUnavailableException(new IOException("simulated store outage"));
    }

    /** Makes every later call throw {@code value}; {@code null} heals it. */
    public InMemoryApiKeyRepository failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    /** Makes every later call throw {@link StoreUnavailableException}. */
    public InMemoryApiKeyRepository fail() {
        return failWith(unavailable());
    }

    /** Makes the store work again. */
    public InMemoryApiKeyRepository heal() {
        return failWith(null);
    }

    /** Runs an action just before the next update's, revocation's or delete's version check (a concurrent change). */
    public synchronized InMemoryApiKeyRepository beforeNextUpdate(Runnable action) {
        this.beforeUpdate = Objects.requireNonNull(action, "action");
        return this;
    }

    /**
     * Runs an action after the next read has taken its copy and before it returns it (a change that lands
     * while a verify is between its read and its use of the result).
     */
    public synchronized InMemoryApiKeyRepository afterNextFind(Runnable action) {
        this.afterFind = Objects.requireNonNull(action, "action");
        return this;
    }

    /** How many times {@link #find} was called. */
    public int finds() {
        return finds.get();
    }

    /** How many times {@link #recordUsage} was called (successful or not). */
    public int usageWrites() {
        return usageWrites.get();
    }

    /** The stored key, without counting a read. */
    public synchronized Optional<ApiKey> stored(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** Every stored key, in insertion order, without counting a read. */
    public synchronized List<ApiKey> all() {
        return List.copyOf(keys.values());
    }

    /** Stores a key as it is, without an audit event or checks (to set up odd states). */
    public synchronized InMemoryApiKeyRepository put(ApiKey key) {
        keys.put(key.id(), key);
        return this;
    }

    @Override
    public synchronized void create(ApiKey key, AuditEvent event) {
        failIfBroken();
        if (keys.containsKey(key.id())) {
            throw ApiKeyException.conflict("EXISTS", "An API key with this id exists.");
        }
        if (!key.ancestors().isEmpty()) {
            for (ApiKeyAncestor ancestor : key.ancestors()) {
                ApiKey a = keys.get(ancestor.keyId());
                if (a == null || a.revocation().isPresent() || frozen.contains(a.id())) {
                    throw ApiKeyException.conflict("MAKER_REVOKED", "The calling key is no longer valid.");
                }
            }
            auditLog.record(event);
            keys.put(key.id(), key);
            return;
        }
        auditLog.record(event);
        keys.put(key.id(), key);
    }

    @Override
    public Optional<ApiKey> find(String keyId) {
        Optional<ApiKey> read;
        Runnable action;
        synchronized (this) {
            finds.incrementAndGet();
            failIfBroken();
            read = Optional.ofNullable(keys.get(keyId));
            action = afterFind;
            afterFind = () -> { };
        }
        action.run();
        return read;
    }

    @Override
    public synchronized ApiKeyPage list(String organizationId, ApiKeyQuery query) {
        failIfBroken();
        Optional<Position> after = query.cursor().map(cursor -> Position.decode(cursor, organizationId));
        List<ApiKey> matching = keys.values().stream()
                .filter(key -> key.organizationId().equals(organizationId))
                .filter(key -> query.includeRevoked() || key.revocation().isEmpty())
                .filter(key -> query.permission().map(key.permissions()::contains).orElse(true))
                .sorted(NEWEST_FIRST)
                .filter(key -> after.map(position -> position.isBefore(key)).orElse(true))
                .toList();
        if (matching.size() <= query.limit()) {
            return new ApiKeyPage(matching, Optional.empty());
        }
        List<ApiKey> page = matching.subList(0, query.limit());
        ApiKey last = page.get(page.size() - 1);
        return new ApiKeyPage(page, Optional.of(new Position(organizationId, last.createdAt(), last.id()).encode()));
    }

    @Override
    public void update(ApiKey updated, AuditEvent event) {
        Runnable action;
        synchronized (this) {
            action = beforeUpdate;
            beforeUpdate = () -> { };
        }
        action.run();
        synchronized (this) {
            failIfBroken();
            ApiKey stored = keys.get(updated.id());
            if (stored == null || stored.version() != updated.version() - 1) {
                throw ApiKeyException.conflict("CONCURRENT_CHANGE", "The API key changed meanwhile.");
            }
            ApiKey written = new ApiKey(stored.id(), stored.organizationId(), stored.name(), stored.description(),
                    stored.permissions(), stored.createdAt(), stored.createdBy(), stored.expiresAt(),
                    stored.rateLimit(), updated.revocation(), updated.secrets(), stored.useCount(),
                    stored.lastUsedAt(), updated.version(), stored.ancestors(), stored.credits(), stored.rateLimits(),
                    stored.owner());
            auditLog.record(event);
            keys.put(written.id(), written);
        }
    }

    @Override
    public synchronized List<ApiKey> descendants(ApiKey key) {
        failIfBroken();
        return keys.values().stream().filter(k -> k.descendsFrom(key.id()))
                .sorted(Comparator.comparingInt((ApiKey k) -> k.ancestors().size()).reversed()).toList();
    }

    @Override
    public void revoke(ApiKey key, List<ApiKeyChange> changes) {
        runBeforeUpdate();
        revokeNow(key, changes);
    }

    @Override
    public synchronized void freezeFamily(ApiKey key) {
        failIfBroken();
        if (!keys.containsKey(key.id())) {
            throw ApiKeyException.notFound();
        }
        frozen.add(key.id());
    }

    /** Whether the key's family was frozen for a revocation or delete. */
    public synchronized boolean frozen(String keyId) {
        return frozen.contains(keyId);
    }

    private synchronized void revokeNow(ApiKey key, List<ApiKeyChange> changes) {
        failIfBroken();
        checkUnrevoked(changes);
        for (ApiKeyChange change : changes) {
            auditLog.record(change.event());
            keys.put(change.key().id(), revocationOf(keys.get(change.key().id()), change.key()));
        }
    }

    @Override
    public void delete(ApiKey key, List<ApiKeyChange> revokedDescendants, AuditEvent event) {
        runBeforeUpdate();
        deleteNow(key, revokedDescendants, event);
    }

    private void runBeforeUpdate() {
        Runnable action;
        synchronized (this) {
            action = beforeUpdate;
            beforeUpdate = () -> { };
        }
        action.run();
    }

    private synchronized void deleteNow(ApiKey key, List<ApiKeyChange> revokedDescendants, AuditEvent event) {
        failIfBroken();
        ApiKey stored = keys.get(key.id());
        if (stored == null || !stored.organizationId().equals(key.organizationId())) {
            throw ApiKeyException.notFound();
        }
        checkUnrevoked(revokedDescendants);
        for (ApiKeyChange change : revokedDescendants) {
            auditLog.record(change.event());
            keys.put(change.key().id(), revocationOf(keys.get(change.key().id()), change.key()));
        }
        auditLog.record(event);
        keys.remove(key.id());
    }

    private void checkUnrevoked(List<ApiKeyChange> changes) {
        for (ApiKeyChange change : changes) {
            ApiKey stored = keys.get(change.key().id());
            if (stored == null || stored.revocation().isPresent()) {
                throw concurrent();
            }
        }
    }

    /** The stored key with the revocation: its secrets (a roll meanwhile) stay, its version moves by one. */
    private static ApiKey revocationOf(ApiKey stored, ApiKey updated) {
        return new ApiKey(stored.id(), stored.organizationId(), stored.name(), stored.description(),
                stored.permissions(), stored.createdAt(), stored.createdBy(), stored.expiresAt(), stored.rateLimit(),
                updated.revocation(), stored.secrets(), stored.useCount(), stored.lastUsedAt(), stored.version() + 1,
                stored.ancestors(), stored.credits(), stored.rateLimits(), stored.owner());
    }

    private static ApiKeyException concurrent() {
        return ApiKeyException.conflict("CONCURRENT_CHANGE", "The API key changed meanwhile.");
    }


    @Override
    public synchronized void recordUsage(String keyId, long uses, Instant lastUsedAt) {
        usageWrites.incrementAndGet();
        failIfBroken();
        ApiKey stored = keys.get(keyId);
        if (stored == null) {
            return;
        }
        Optional<Instant> last = stored.lastUsedAt().filter(previous -> !previous.isBefore(lastUsedAt))
                .or(() -> Optional.of(lastUsedAt));
        keys.put(keyId, new ApiKey(stored.id(), stored.organizationId(), stored.name(), stored.description(),
                stored.permissions(), stored.createdAt(), stored.createdBy(), stored.expiresAt(), stored.rateLimit(),
                stored.revocation(), stored.secrets(), stored.useCount() + uses, last, stored.version(),
                stored.ancestors(), stored.credits(), stored.rateLimits(), stored.owner()));
    }

    /** Spends under the port's condition: never below zero; a due refill applied once per period. */
    @Override
    public synchronized java.util.OptionalLong spendCredits(ApiKey key, long cost, Instant now) {
        creditWrites.incrementAndGet();
        failIfBroken();
        ApiKey stored = keys.get(key.id());
        if (stored == null || stored.credits().isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        ApiKeyCredits credits = stored.credits().get().at(now);
        if (credits.remaining() < cost) {
            keys.put(key.id(), stored.withCredits(Optional.of(credits)));
            return java.util.OptionalLong.empty();
        }
        ApiKeyCredits left = new ApiKeyCredits(credits.remaining() - cost, credits.refill(), credits.refilledAt(),
                credits.windows());
        keys.put(key.id(), stored.withCredits(Optional.of(left)));
        return java.util.OptionalLong.of(left.remaining());
    }

    @Override
    public synchronized MeteredSpend spendWithinLimit(ApiKey key, NamedRateLimit limit, int limitCost, long cost,
            Instant now) {
        failIfBroken();
        // Like the table's adapter: a refusal by the key as read costs no write.
        MeteredSpend asRead = meter(key.credits().orElseThrow().at(now), limit, limitCost, cost, now);
        if (!asRead.spent()) {
            return asRead;
        }
        creditWrites.incrementAndGet();
        ApiKey stored = keys.get(key.id());
        if (stored == null || stored.credits().isEmpty()) {
            return new MeteredSpend(0, true, java.util.OptionalLong.empty());
        }
        ApiKeyCredits credits = stored.credits().get().at(now);
        MeteredSpend spend = meter(credits, limit, limitCost, cost, now);
        if (!spend.spent()) {
            return spend;
        }
        long start = dev.latchkey.core.ratelimit.FixedWindow.start(now, limit.limit());
        MeteredWindow window = credits.windows().get(limit.name());
        Map<String, MeteredWindow> windows = new java.util.HashMap<>(credits.windows());
        windows.put(limit.name(), new MeteredWindow(window == null ? start : Math.max(start, window.start()),
                spend.count()));
        ApiKeyCredits left = new ApiKeyCredits(spend.credits().getAsLong(), credits.refill(), credits.refilledAt(),
                windows);
        keys.put(key.id(), stored.withCredits(Optional.of(left)));
        return spend;
    }

    /** The outcome for credits in that state: refused, or what spending would leave. */
    private static MeteredSpend meter(ApiKeyCredits credits, NamedRateLimit limit, int limitCost, long cost,
            Instant now) {
        long start = dev.latchkey.core.ratelimit.FixedWindow.start(now, limit.limit());
        MeteredWindow window = credits.windows().get(limit.name());
        long current = window == null ? 0 : window.countIn(start);
        if (current + limitCost > limit.limit().limit()) {
            return new MeteredSpend(current + limitCost, false, java.util.OptionalLong.empty());
        }
        if (credits.remaining() == 0 || credits.remaining() < cost) {
            return new MeteredSpend(current, true, java.util.OptionalLong.empty());
        }
        return new MeteredSpend(current + limitCost, true, java.util.OptionalLong.of(credits.remaining() - cost));
    }

    @Override
    public synchronized void setCredits(ApiKey key, Optional<ApiKeyCredits> credits, AuditEvent event) {
        failIfBroken();
        ApiKey stored = keys.get(key.id());
        if (stored == null || !stored.organizationId().equals(key.organizationId())) {
            throw ApiKeyException.conflict("NO_CREDITS", "The key is gone.");
        }
        auditLog.record(event);
        // The store keeps the windows counted on the key's item: only the credit attributes change.
        Map<String, MeteredWindow> windows = stored.credits().map(ApiKeyCredits::windows).orElse(Map.of());
        keys.put(key.id(), stored.withCredits(credits.map(c -> new ApiKeyCredits(c.remaining(), c.refill(),
                c.refilledAt(), windows))));
    }

    @Override
    public synchronized void addCredits(ApiKey key, long amount, AuditEvent event) {
        failIfBroken();
        ApiKey stored = keys.get(key.id());
        if (stored == null || stored.credits().isEmpty()
                || stored.credits().get().remaining() > ApiKeyCredits.MAX - amount) {
            throw ApiKeyException.conflict("NO_CREDITS", "The key is gone or has no credits.");
        }
        ApiKeyCredits credits = stored.credits().get();
        auditLog.record(event);
        keys.put(key.id(), stored.withCredits(Optional.of(new ApiKeyCredits(credits.remaining() + amount,
                credits.refill(), credits.refilledAt(), credits.windows()))));
    }

    @Override
    public void updateSettings(ApiKey before, ApiKey after, AuditEvent event) {
        synchronized (this) {
            failIfBroken();
            ApiKey stored = keys.get(before.id());
            if (stored == null || stored.version() != before.version()
                    || !stored.organizationId().equals(before.organizationId())) {
                throw ApiKeyException.conflict("CONCURRENT_CHANGE", "The API key changed meanwhile.");
            }
            ApiKey written = new ApiKey(stored.id(), stored.organizationId(), stored.name(), stored.description(),
                    stored.permissions(), stored.createdAt(), stored.createdBy(), stored.expiresAt(),
                    after.rateLimit(), stored.revocation(), stored.secrets(), stored.useCount(),
                    stored.lastUsedAt(), after.version(), stored.ancestors(), stored.credits(), after.rateLimits(),
                    after.owner());
            auditLog.record(event);
            keys.put(written.id(), written);
        }
    }

    @Override
    public synchronized List<ApiKey> findByExternalId(String organizationId, String externalId, int limit) {
        failIfBroken();
        return keys.values().stream().filter(k -> k.organizationId().equals(organizationId))
                .filter(k -> k.owner().externalId().filter(externalId::equals).isPresent())
                .sorted(NEWEST_FIRST).limit(limit).toList();
    }

    /** Credit writes ({@link #spendCredits}, {@link #spendWithinLimit}) so far. */
    public int creditWrites() {
        return creditWrites.get();
    }

    private void failIfBroken() {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }

    /** Where a page ended: the last key's sort position, bound to its organization. */
    private record Position(String organizationId, Instant createdAt, String keyId) {

        /** Whether {@code key} sorts after this position (is older). */
        boolean isBefore(ApiKey key) {
            int byTime = key.createdAt().compareTo(createdAt);
            return byTime < 0 || byTime == 0 && key.id().compareTo(keyId) < 0;
        }

        String encode() {
            String text = organizationId + "|" + createdAt + "|" + keyId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor, String organizationId) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                        .split("\\|", -1);
                if (parts.length != 3 || !parts[0].equals(organizationId) || !ApiKeyToken.isKeyId(parts[2])) {
                    throw invalidCursor();
                }
                return new Position(parts[0], Instant.parse(parts[1]), parts[2]);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw invalidCursor();
            }
        }

        private static ApiKeyException invalidCursor() {
            return ApiKeyException.invalid("cursor", "INVALID", "Query 'cursor' is not a cursor of this list.");
        }
    }
}
