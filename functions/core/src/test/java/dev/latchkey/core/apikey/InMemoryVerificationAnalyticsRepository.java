package dev.latchkey.core.apikey;

import dev.latchkey.core.store.StoreUnavailableException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link VerificationAnalyticsRepository} in memory, counting its writes; can be told to fail. */
public final class InMemoryVerificationAnalyticsRepository implements VerificationAnalyticsRepository {

    private final Map<String, TreeMap<LocalDate, Map<VerificationOutcome, Long>>> days = new TreeMap<>();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile boolean broken;

    @Override
    public synchronized void add(String organizationId, String keyId, LocalDate day,
            Map<VerificationOutcome, Long> counts) {
        if (broken) {
            throw new StoreUnavailableException(new IllegalStateException("broken"));
        }
        writes.incrementAndGet();
        Map<VerificationOutcome, Long> stored = days.computeIfAbsent(scope(organizationId, keyId), s -> new TreeMap<>())
                .computeIfAbsent(day, d -> new EnumMap<>(VerificationOutcome.class));
        counts.forEach((outcome, count) -> stored.merge(outcome, count, Long::sum));
    }

    @Override
    public synchronized List<DailyVerifications> read(String organizationId, String keyId, LocalDate from,
            LocalDate to) {
        if (broken) {
            throw new StoreUnavailableException(new IllegalStateException("broken"));
        }
        List<DailyVerifications> found = new ArrayList<>();
        days.getOrDefault(scope(organizationId, keyId), new TreeMap<>()).subMap(from, true, to, true)
                .forEach((day, counts) -> found.add(new DailyVerifications(day, counts)));
        return found;
    }

    /** Writes ({@link #add}) so far. */
    public int writes() {
        return writes.get();
    }

    /** Makes every call fail (or work again). */
    public void broken(boolean value) {
        broken = value;
    }

    private static String scope(String organizationId, String keyId) {
        return keyId == null ? "org:" + organizationId : "key:" + keyId;
    }
}
