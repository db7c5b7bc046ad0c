package dev.latchkey.core.apikey;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link ShowVerificationAnalytics}: every day of the range, oldest first, days without verifications
 * included with zero counts (so a chart needs no gap filling).
 *
 * @param organizationId the organization
 * @param keyId the key, empty for the organization's numbers
 * @param from first day, included
 * @param to last day, included
 * @param outcome the one outcome asked for, if any (then the days hold only its counts)
 * @param days one per day from {@code from} to {@code to}
 */
public record VerificationReport(String organizationId, Optional<String> keyId, LocalDate from, LocalDate to,
        Optional<VerificationOutcome> outcome, List<DailyVerifications> days) {

    /** Copies the days. */
    public VerificationReport {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(outcome, "outcome");
        days = List.copyOf(days);
    }

    /** The range's counts together. */
    public DailyVerifications totals() {
        java.util.Map<VerificationOutcome, Long> sum = new java.util.EnumMap<>(VerificationOutcome.class);
        days.forEach(day -> day.counts().forEach((o, n) -> sum.merge(o, n, Long::sum)));
        return new DailyVerifications(from, sum);
    }
}
