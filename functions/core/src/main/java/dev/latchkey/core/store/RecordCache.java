package dev.latchkey.core.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A bounded, per-container cache of records read from the table on the token path
 * ({@code LATCHKEY_TOKEN_CACHE_SECONDS}; docs/security.md "Token-path cache"). With a TTL of 0 it keeps nothing:
 * every call reads. With a TTL of t a record read at time r is served until r + t, so a change made through another
 * container counts here within t; every write through this container {@link #clear clears} it, so a change made
 * here counts at once. Only present values are kept: a record created elsewhere is found on the next call. At most
 * {@code maxEntries} records, the least recently used go first. Thread-safe.
 *
 * @param <K> the key
 * @param <V> the record
 */
public final class RecordCache<K, V> {

    /** Longest TTL accepted. */
    public static final Duration MAX_TTL = Duration.ofSeconds(60);

    private final Duration ttl;
    private final Clock clock;
    private final Map<K, Entry<V>> entries;

    private record Entry<V>(V value, Instant expiresAt) {
    }

    /**
     * @param ttl 0 (off) to {@link #MAX_TTL}
     * @param maxEntries the most records kept
     * @param clock for expiry
     */
    public RecordCache(Duration ttl, int maxEntries, Clock clock) {
        if (ttl.isNegative() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("cache TTL must be 0 to " + MAX_TTL.toSeconds() + " s");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** Whether it keeps anything. */
    public boolean enabled() {
        return !ttl.isZero();
    }

    /** The cached present value of {@code key}, else {@code read}'s answer (kept when present). */
    public Optional<V> get(K key, Supplier<Optional<V>> read) {
        if (!enabled()) {
            return read.get();
        }
        Instant now = clock.instant();
        synchronized (entries) {
            Entry<V> entry = entries.get(key);
            if (entry != null && now.isBefore(entry.expiresAt())) {
                return Optional.of(entry.value());
            }
        }
        Optional<V> value = read.get();
        value.ifPresent(v -> {
            synchronized (entries) {
                entries.put(key, new Entry<>(v, now.plus(ttl)));
            }
        });
        return value;
    }

    /**
     * Reads {@code key} again, bypassing a kept copy, and keeps the answer (forgets the key when absent). For a
     * refusal that a change made in another container within the TTL may have caused (a secret or key added there):
     * the caller retries once on the fresh record.
     *
     * @return the fresh record, or empty when the cache is off ({@link #get} read it already) or the record is gone
     */
    public Optional<V> reread(K key, Supplier<Optional<V>> read) {
        if (!enabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<V> value = read.get();
        synchronized (entries) {
            if (value.isPresent()) {
                entries.put(key, new Entry<>(value.get(), now.plus(ttl)));
            } else {
                entries.remove(key);
            }
        }
        return value;
    }

    /** Forgets everything (a write through this container). */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    /** How many records it holds. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
