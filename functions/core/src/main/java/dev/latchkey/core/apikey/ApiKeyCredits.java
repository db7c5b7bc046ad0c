package dev.latchkey.core.apikey;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A key's usage credits (docs/api-keys.md "Usage credits"; issue 21 §1): each verify spends its cost from
 * {@code remaining}; at zero the key answers {@code USAGE_EXCEEDED}. With a {@link CreditRefill refill},
 * {@code remaining} is set back to the refill's amount at the start of every period — lazily, by the first verify
 * (or read) of a new period, so no scheduler is needed.
 *
 * @param remaining credits left as stored, 0–{@value #MAX}
 * @param refill the refill, if any
 * @param refilledAt the start of the last period whose refill was applied (set at creation to the current period,
 *     so the first refill comes with the next one); empty without refill
 * @param windows the key's own rate-limit windows counted on its item, by limit name (see {@link MeteredWindow});
 *     state of the verify path, not part of the credits' settings
 */
public record ApiKeyCredits(long remaining, Optional<CreditRefill> refill, Optional<Instant> refilledAt,
        java.util.Map<String, MeteredWindow> windows) {

    /** The most credits a key holds (and the most one verify may cost). */
    public static final long MAX = 1_000_000_000_000L;

    /** Credits whose key counts no rate-limit window on its own item (yet). */
    public ApiKeyCredits(long remaining, Optional<CreditRefill> refill, Optional<Instant> refilledAt) {
        this(remaining, refill, refilledAt, java.util.Map.of());
    }

    /** Checks the ranges. */
    public ApiKeyCredits {
        if (remaining < 0 || remaining > MAX) {
            throw new IllegalArgumentException("remaining out of range");
        }
        Objects.requireNonNull(refill, "refill");
        Objects.requireNonNull(refilledAt, "refilledAt");
        windows = java.util.Map.copyOf(windows);
    }

    /** New credits at {@code now}: the current period counts as refilled. */
    public static ApiKeyCredits of(long remaining, Optional<CreditRefill> refill, Instant now) {
        return new ApiKeyCredits(remaining, refill, refill.map(r -> r.periodStart(now)));
    }

    /**
     * The start of the period whose refill is due at {@code now} and not yet applied; empty when there is no refill
     * or it was applied.
     */
    public Optional<Instant> dueRefill(Instant now) {
        if (refill.isEmpty()) {
            return Optional.empty();
        }
        Instant period = refill.get().periodStart(now);
        if (refilledAt.isPresent() && !refilledAt.get().isBefore(period)) {
            return Optional.empty();
        }
        return Optional.of(period);
    }

    /** The credits as they are at {@code now}: refilled when a refill is due (what a read shows). */
    public ApiKeyCredits at(Instant now) {
        Optional<Instant> due = dueRefill(now);
        if (due.isEmpty()) {
            return this;
        }
        return new ApiKeyCredits(refill.orElseThrow().amount(), refill, due, windows);
    }

    /** When the next refill is due after {@code now}, if there is a refill. */
    public Optional<Instant> nextRefillAt(Instant now) {
        return refill.map(r -> r.nextPeriodStart(now));
    }
}
