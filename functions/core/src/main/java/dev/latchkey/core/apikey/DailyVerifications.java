package dev.latchkey.core.apikey;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One day's verifications of a key or of an organization's keys, by outcome (UTC days; docs/api-keys.md
 * "Verification analytics").
 *
 * @param day the UTC day
 * @param counts the count per outcome; an outcome that is missing counted 0
 */
public record DailyVerifications(LocalDate day, Map<VerificationOutcome, Long> counts) {

    /** Copies the counts. */
    public DailyVerifications {
        Objects.requireNonNull(day, "day");
        EnumMap<VerificationOutcome, Long> copy = new EnumMap<>(VerificationOutcome.class);
        counts.forEach((outcome, count) -> {
            if (count < 0) {
                throw new IllegalArgumentException("a count is never negative");
            }
            if (count > 0) {
                copy.put(outcome, count);
            }
        });
        counts = java.util.Collections.unmodifiableMap(copy);
    }

    /** A day without verifications. */
    public static DailyVerifications none(LocalDate day) {
        return new DailyVerifications(day, Map.of());
    }

    /** The count of one outcome. */
    public long count(VerificationOutcome outcome) {
        return counts.getOrDefault(outcome, 0L);
    }

    /** All outcomes together. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
