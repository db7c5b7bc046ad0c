package dev.latchkey.core.apikey;

import dev.latchkey.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts verifications per key, organization, UTC day and {@link VerificationOutcome} without a request on the
 * verify path (docs/api-keys.md "Verification analytics"; issue 21 §5). Each container adds them up in memory; once
 * {@code interval} (default {@link #DEFAULT_INTERVAL}) has passed since its last flush, or {@value #MAX_PENDING} days
 * of keys are pending, the pending counts become due and are written by the verifications that come next, at most
 * {@value #MAX_WRITES_PER_VERIFY} {@code UpdateItem ADD}s each, after their own answer was decided: one write per key
 * and day and one per organization and day. A container verifying K keys of one organization therefore adds
 * K + 1 writes per interval, whatever the number of verifications.
 *
 * <p>What is lost: the counts a container gathered since its last flush when it is recycled without another
 * verification (a Lambda container without an extension gets no shutdown signal, so nothing flushes there; the local
 * server and the container image flush when they stop, {@link #flush}). At the default interval that is at most a
 * minute of one container's counts. That is acceptable because these numbers are a report, not a bill: what is
 * charged or limited (credits, rate limits) is counted exactly, on its own conditional writes. A failed write never
 * fails a verification; its counts are retried with the next flush. A read of the numbers
 * ({@link ShowVerificationAnalytics}) flushes this container first, so a container always sees its own verifications.
 */
public final class VerificationAnalytics {

    /** Days the numbers are kept (the table's TTL removes older ones). */
    public static final int RETENTION_DAYS = 90;
    /** Default least time between two flushes of one container. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    /** Pending key-days that make a flush due before the interval (and bound the container's memory). */
    static final int MAX_PENDING = 5_000;
    /** Most writes one verification makes of a due flush: its added latency stays bounded. */
    static final int MAX_WRITES_PER_VERIFY = 8;

    private static final System.Logger LOG = System.getLogger(VerificationAnalytics.class.getName());

    /** Which records a pending count still has to reach. */
    private enum Target { KEY_AND_ORGANIZATION, KEY, ORGANIZATION }

    private record Slot(String organizationId, String keyId, LocalDate day, Target target) {
    }

    private record Write(String organizationId, String keyId, LocalDate day, Map<VerificationOutcome, Long> counts) {
    }

    private final Optional<VerificationAnalyticsRepository> store;
    private final Clock clock;
    private final Duration interval;
    private final Map<Slot, long[]> pending = new HashMap<>();
    private final Deque<Write> due = new ArrayDeque<>();
    private Instant nextFlush;
    private long dropped;

    /**
     * @param store where the counts go
     * @param clock days and the interval
     * @param interval least time between two flushes of this container
     */
    public VerificationAnalytics(VerificationAnalyticsRepository store, Clock clock, Duration interval) {
        this(Optional.of(store), clock, interval);
    }

    private VerificationAnalytics(Optional<VerificationAnalyticsRepository> store, Clock clock, Duration interval) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Counts nothing (use cases built without analytics, e.g. in tests of other concerns). */
    public static VerificationAnalytics disabled(Clock clock) {
        return new VerificationAnalytics(Optional.empty(), clock, DEFAULT_INTERVAL);
    }

    /** The UTC day of an instant. */
    public static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Counts one verification (a known key; {@code NOT_FOUND} is not counted) and, when a flush is due, writes a
     * bounded part of it. Never throws for a store failure.
     */
    public void record(Verification verification) {
        if (store.isEmpty()) {
            return;
        }
        Optional<VerificationOutcome> outcome = VerificationOutcome.of(verification);
        List<Write> batch;
        synchronized (this) {
            // One lock per verification: count, and take this verification's share of a due flush.
            if (outcome.isPresent()) {
                ApiKey key = verification.key().orElseThrow();
                add(new Slot(key.organizationId(), key.id(), day(clock.instant()), Target.KEY_AND_ORGANIZATION),
                        outcome.get(), 1);
            }
            batch = take(false, MAX_WRITES_PER_VERIFY);
        }
        write(batch);
    }

    /** Writes everything pending now (a read of the numbers, shutdown, tests). Never throws for a store failure. */
    public void flush() {
        if (store.isEmpty()) {
            return;
        }
        List<Write> batch;
        synchronized (this) {
            batch = take(true, Integer.MAX_VALUE);
        }
        write(batch);
    }

    /** Counts not yet written (slots: key-days and organization-days), for tests. */
    synchronized int pendingSlots() {
        return pending.size() + due.size();
    }

    /** Adds to a pending slot; the caller holds this object's lock. */
    private void add(Slot slot, VerificationOutcome outcome, long count) {
        long[] counts = pending.get(slot);
        if (counts == null) {
            if (pending.size() >= 2 * MAX_PENDING) {
                dropped += count;
                return;
            }
            counts = new long[VerificationOutcome.values().length];
            pending.put(slot, counts);
        }
        counts[outcome.ordinal()] += count;
    }

    /**
     * Moves the pending counts to the due writes when a flush is due (or {@code now}); takes up to {@code most}. The
     * caller holds this object's lock.
     */
    private List<Write> take(boolean now, int most) {
        Instant at = clock.instant();
        if (nextFlush == null) {
            nextFlush = at.plus(interval);
        }
        boolean timeOrSize = !at.isBefore(nextFlush) || pending.size() >= MAX_PENDING;
        if (!pending.isEmpty() && (now || due.isEmpty() && timeOrSize)) {
            schedule();
            nextFlush = at.plus(interval);
        }
        List<Write> batch = new ArrayList<>();
        while (batch.size() < most && !due.isEmpty()) {
            batch.add(due.poll());
        }
        return batch;
    }

    /** The pending counts as writes: one per key-day, then one per organization-day (the sum of its keys). */
    private void schedule() {
        Map<Slot, long[]> organizations = new LinkedHashMap<>();
        pending.forEach((slot, counts) -> {
            if (slot.target() != Target.ORGANIZATION) {
                due.add(new Write(slot.organizationId(), slot.keyId(), slot.day(), map(counts)));
            }
            if (slot.target() != Target.KEY) {
                long[] sum = organizations.computeIfAbsent(new Slot(slot.organizationId(), null, slot.day(),
                        Target.ORGANIZATION), s -> new long[counts.length]);
                for (int i = 0; i < counts.length; i++) {
                    sum[i] += counts[i];
                }
            }
        });
        organizations.forEach((slot, counts) -> due.add(new Write(slot.organizationId(), null, slot.day(),
                map(counts))));
        pending.clear();
        if (dropped > 0) {
            LOG.log(System.Logger.Level.WARNING, "verification analytics: " + dropped
                    + " verifications not counted (too many pending)");
            dropped = 0;
        }
    }

    private void write(List<Write> batch) {
        for (Write write : batch) {
            try {
                store.orElseThrow().add(write.organizationId(), write.keyId(), write.day(), write.counts());
            } catch (StoreUnavailableException e) {
                LOG.log(System.Logger.Level.WARNING, "verification analytics write failed: "
                        + e.getClass().getSimpleName());
                Slot retry = new Slot(write.organizationId(), write.keyId(), write.day(),
                        write.keyId() == null ? Target.ORGANIZATION : Target.KEY);
                synchronized (this) {
                    write.counts().forEach((outcome, count) -> add(retry, outcome, count));
                }
            }
        }
    }

    private static Map<VerificationOutcome, Long> map(long[] counts) {
        Map<VerificationOutcome, Long> map = new EnumMap<>(VerificationOutcome.class);
        for (VerificationOutcome outcome : VerificationOutcome.values()) {
            if (counts[outcome.ordinal()] > 0) {
                map.put(outcome, counts[outcome.ordinal()]);
            }
        }
        return map;
    }
}
