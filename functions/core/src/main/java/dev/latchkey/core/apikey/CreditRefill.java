package dev.latchkey.core.apikey;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * How a key's credits refill: to {@code amount} at the start of every UTC day, or of every month on
 * {@code dayOfMonth} (default the 1st; in a shorter month its last day). A refill <em>sets</em> the credits to the
 * amount (unused credits do not accumulate), as Unkey's refill does.
 *
 * @param interval daily or monthly
 * @param amount what {@code remaining} is set to, 1–{@value ApiKeyCredits#MAX}
 * @param dayOfMonth 1–31, monthly only
 */
public record CreditRefill(Interval interval, long amount, Optional<Integer> dayOfMonth) {

    /** The refill periods. */
    public enum Interval {
        /** Every day at 00:00 UTC. */
        DAILY,
        /** Every month on its day at 00:00 UTC. */
        MONTHLY;

        /** Its name in the API. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Checks the ranges. */
    public CreditRefill {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(dayOfMonth, "dayOfMonth");
        if (amount < 1 || amount > ApiKeyCredits.MAX) {
            throw ApiKeyException.invalid("credits.refill.amount", "OUT_OF_RANGE",
                    "Field 'credits.refill.amount' is 1 to " + ApiKeyCredits.MAX + ".");
        }
        if (dayOfMonth.isPresent() && (interval != Interval.MONTHLY || dayOfMonth.get() < 1
                || dayOfMonth.get() > 31)) {
            throw ApiKeyException.invalid("credits.refill.day_of_month", "OUT_OF_RANGE",
                    "Field 'credits.refill.day_of_month' is 1 to 31, for a monthly refill only.");
        }
    }

    /** The start of the refill period containing {@code now}. */
    public Instant periodStart(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (interval == Interval.DAILY) {
            return today.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        LocalDate thisMonth = refillDay(today.withDayOfMonth(1));
        LocalDate start = today.isBefore(thisMonth) ? refillDay(today.withDayOfMonth(1).minusMonths(1)) : thisMonth;
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The start of the period after the one containing {@code now}. */
    public Instant nextPeriodStart(Instant now) {
        LocalDate start = LocalDate.ofInstant(periodStart(now), ZoneOffset.UTC);
        LocalDate next = interval == Interval.DAILY ? start.plusDays(1) : refillDay(start.withDayOfMonth(1)
                .plusMonths(1));
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The refill day in the month of {@code firstOfMonth}: the configured day, or the month's last if shorter. */
    private LocalDate refillDay(LocalDate firstOfMonth) {
        int day = dayOfMonth.orElse(1);
        return firstOfMonth.withDayOfMonth(Math.min(day, firstOfMonth.lengthOfMonth()));
    }
}
