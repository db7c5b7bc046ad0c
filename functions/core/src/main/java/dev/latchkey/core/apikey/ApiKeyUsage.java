package dev.latchkey.core.apikey;

import dev.latchkey.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts successful verifications ({@code use_count}, {@code last_used_at}) without a write per verify:
 * uses are added up in memory per key and written with one {@code UpdateItem ADD} when the key's first
 * use in this container is seen and then at most once per {@code interval} per key (default 10 s),
 * by whichever verify (of any key) comes after the interval. So a key verified 1,000 times a second
 * costs about 0.1 extra writes a second per container.
 *
 * <p>The price, documented in docs/api-keys.md: {@code use_count} and {@code last_used_at} trail by at
 * least the interval; uses counted after a container's last write are written by its next verify of
 * any key, or lost when the container is recycled without one (a Lambda container gets no reliable
 * shutdown hook). A failed write keeps the uses for the next attempt and never fails the verification.
 * Keys idle for an interval with nothing pending are forgotten once {@value #MAX_TRACKED} are tracked.
 */
public final class ApiKeyUsage {

    /** Default interval between writes for one key. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Keys tracked at once; beyond that a use is written at once instead of buffered. */
    static final int MAX_TRACKED = 10_000;

    private static final System.Logger LOG = System.getLogger(ApiKeyUsage.class.getName());

    private final ApiKeyRepository keys;
    private final Clock clock;
    private final Duration interval;
    private final Map<String, Pending> pending = new HashMap<>();

    private static final class Pending {
        private long uses;
        private Instant lastUse;
        private Instant lastWrite;
    }

    /**
     * @param keys where usage goes
     * @param clock times
     * @param interval the least time between two writes for one key
     */
    public ApiKeyUsage(ApiKeyRepository keys, Clock clock, Duration interval) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /**
     * Counts one successful verification, writing the key's pending uses when due — and those of any
     * other key whose interval has passed, so that a key that goes quiet after a burst is still written
     * by the next verify of any key in this container.
     */
    public void record(String keyId) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<String, Long> due = new HashMap<>();
        Map<String, Instant> lastUse = new HashMap<>();
        synchronized (this) {
            Pending entry = pending.get(keyId);
            if (entry == null && pending.size() >= MAX_TRACKED) {
                evictIdle(now);
            }
            if (entry == null && pending.size() >= MAX_TRACKED) {
                due.put(keyId, 1L);
                lastUse.put(keyId, now);
            } else {
                if (entry == null) {
                    entry = new Pending();
                    pending.put(keyId, entry);
                }
                entry.uses++;
                entry.lastUse = now;
            }
            pending.forEach((id, other) -> {
                if (other.uses > 0 && (other.lastWrite == null || !now.isBefore(other.lastWrite.plus(interval)))) {
                    due.put(id, other.uses);
                    lastUse.put(id, other.lastUse);
                    other.uses = 0;
                    other.lastWrite = now;
                }
            });
        }
        due.forEach((id, uses) -> {
            if (!write(id, uses, lastUse.get(id))) {
                synchronized (this) {
                    Pending entry = pending.get(id);
                    if (entry != null) {
                        entry.uses += uses;
                    }
                }
            }
        });
    }

    /** Forgets keys with nothing pending that were written more than an interval ago. */
    private void evictIdle(Instant now) {
        pending.values().removeIf(entry -> entry.uses == 0 && entry.lastWrite != null
                && !now.isBefore(entry.lastWrite.plus(interval)));
    }

    /** Writes every key's pending uses now (tests; a container about to be frozen for a snapshot). */
    public void flush() {
        Map<String, long[]> due = new HashMap<>();
        Map<String, Instant> last = new HashMap<>();
        synchronized (this) {
            pending.forEach((keyId, entry) -> {
                if (entry.uses > 0) {
                    due.put(keyId, new long[] {entry.uses});
                    last.put(keyId, entry.lastUse);
                    entry.uses = 0;
                    entry.lastWrite = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                }
            });
        }
        due.forEach((keyId, uses) -> {
            if (!write(keyId, uses[0], last.get(keyId))) {
                synchronized (this) {
                    pending.get(keyId).uses += uses[0];
                }
            }
        });
    }

    /** Uses counted but not yet written, for one key. */
    synchronized long pendingUses(String keyId) {
        Pending entry = pending.get(keyId);
        return entry == null ? 0 : entry.uses;
    }

    private boolean write(String keyId, long uses, Instant lastUse) {
        try {
            keys.recordUsage(keyId, uses, lastUse);
            return true;
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING,
                    "usage write for " + keyId + " failed: " + e.getClass().getSimpleName());
            return false;
        }
    }
}
