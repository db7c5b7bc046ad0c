package dev.latchkey.core.apikey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A short, bounded, per-container cache of keys read for verification ({@code LATCHKEY_API_KEY_CACHE_SECONDS}).
 *
 * <p><b>Off by default</b> (TTL 0): every verify reads the key with one strongly consistent
 * {@code GetItem}, so a revocation or deletion counts on the very next verify anywhere (SECURITY.md
 * "API keys"). With a TTL of t seconds a warm verify makes no read, and the bound is: a change made
 * by this container is seen at once (the management use cases {@link #invalidate}); a change made
 * elsewhere is seen by this container within t seconds. Usage counters in a cached copy go stale;
 * they are never read from it.
 */
public final class ApiKeyCache {

    /** Longest TTL accepted. */
    public static final Duration MAX_TTL = Duration.ofSeconds(60);

    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final Map<String, Entry> entries;
    private long invalidations;

    private record Entry(ApiKey key, Instant expiresAt) {
    }

    /**
     * @param ttl 0 (disabled) to {@link #MAX_TTL}
     * @param maxEntries the most keys kept; the least recently used go first
     * @param clock for expiry
     */
    public ApiKeyCache(Duration ttl, int maxEntries, Clock clock) {
        if (ttl.isNegative() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("cache TTL must be 0 to " + MAX_TTL.toSeconds() + " s");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > ApiKeyCache.this.maxEntries;
            }
        };
    }

    /** A cache that keeps nothing. */
    public static ApiKeyCache disabled(Clock clock) {
        return new ApiKeyCache(Duration.ZERO, 1, clock);
    }

    /** Whether it keeps anything. */
    public boolean enabled() {
        return !ttl.isZero();
    }

    /** A fresh copy of the key, if kept. */
    public synchronized Optional<ApiKey> get(String keyId) {
        Entry entry = entries.get(keyId);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(keyId);
            return Optional.empty();
        }
        return Optional.of(entry.key());
    }

    /**
     * A stamp to take <em>before</em> reading a key from the table, for {@link #put}: a read that raced
     * with a change made in this container is then never cached.
     */
    public synchronized long stamp() {
        return invalidations;
    }

    /**
     * Keeps a key just read from the table, unless any key was invalidated since {@code stamp} (the read
     * may predate that change; dropping the put is always safe, merely a miss).
     */
    public synchronized void put(ApiKey key, long stamp) {
        if (enabled() && stamp == invalidations) {
            entries.put(key.id(), new Entry(key, clock.instant().plus(ttl)));
        }
    }

    /** Forgets a key that changed. */
    public synchronized void invalidate(String keyId) {
        invalidations++;
        entries.remove(keyId);
    }
}
