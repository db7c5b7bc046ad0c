package dev.latchkey.core.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What to read from one tenant's audit log. Every {@link AuditLog} answers it the same way: events
 * with {@code from <= occurredAt < to} whose actor id equals {@link #actorId} and whose action passes
 * {@link #action}, newest first, at most {@link #limit} per page, continuing after {@link #cursor}.
 *
 * <p><b>At most {@value #MAX_MONTHS} calendar months (UTC) per query.</b> The log is kept in monthly
 * partitions; without {@code to} the query ends now, without {@code from} it reaches back to the
 * start of the {@value #MAX_MONTHS}th month counting the last one. A range spanning more months is
 * refused rather than read slowly: ask for older events with an explicit {@code from}/{@code to}.
 *
 * @param actorId only events of this actor ({@code usr_…}, {@code key_…}, {@code cli_…}, {@code anonymous},
 *     or a system component)
 * @param action only these actions
 * @param from the earliest time, inclusive
 * @param to the latest time, exclusive
 * @param limit events per page, {@value #MIN_LIMIT}–{@value #MAX_LIMIT}
 * @param cursor the previous page's {@link AuditPage#nextCursor}, unchanged
 */
public record AuditQuery(
        Optional<String> actorId,
        Optional<ActionFilter> action,
        Optional<Instant> from,
        Optional<Instant> to,
        int limit,
        Optional<String> cursor) {

    /** Smallest page. */
    public static final int MIN_LIMIT = 1;
    /** Largest page. */
    public static final int MAX_LIMIT = 100;
    /** Page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 50;
    /** Most calendar months one query covers. */
    public static final int MAX_MONTHS = 24;
    /** Longest cursor accepted. */
    public static final int MAX_CURSOR_LENGTH = 512;

    private static final Pattern ACTOR_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    /** @throws AuditException {@code VALIDATION_ERROR} naming the field that is out of range */
    public AuditQuery {
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(cursor, "cursor");
        if (actorId.isPresent() && !ACTOR_ID.matcher(actorId.get()).matches()) {
            throw AuditException.invalid("actor_id", "Actor id has an unexpected shape.");
        }
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            throw AuditException.invalid("limit", "Limit must be between " + MIN_LIMIT + " and " + MAX_LIMIT + ".");
        }
        from.ifPresent(instant -> requireInRange("from", instant));
        to.ifPresent(instant -> requireInRange("to", instant));
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw AuditException.invalid("from", "'from' must be before 'to'.");
        }
        if (cursor.isPresent() && (cursor.get().isEmpty() || cursor.get().length() > MAX_CURSOR_LENGTH)) {
            throw AuditException.invalidCursor();
        }
    }

    private static void requireInRange(String field, Instant instant) {
        if (instant.isBefore(AuditEvent.EARLIEST) || instant.isAfter(AuditEvent.LATEST)) {
            throw AuditException.invalid(field, "Time must fall in the years 1970-9999.");
        }
    }

    /** The newest {@link #DEFAULT_LIMIT} events, unfiltered. */
    public static AuditQuery latest() {
        return builder().build();
    }

    /** A builder: no filter, {@link #DEFAULT_LIMIT}, no cursor. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same query continuing at {@code nextCursor}. */
    public AuditQuery continueAt(String nextCursor) {
        return new AuditQuery(actorId, action, from, to, limit, Optional.of(nextCursor));
    }

    /** Whether the event passes the filters and the time range (not the cursor). */
    public boolean matches(AuditEvent event) {
        return actorId.map(id -> id.equals(event.actor().id())).orElse(true)
                && action.map(filter -> filter.matches(event.action())).orElse(true)
                && from.map(instant -> !event.occurredAt().isBefore(instant)).orElse(true)
                && to.map(instant -> event.occurredAt().isBefore(instant)).orElse(true);
    }

    /** Whether the query filters on anything besides time (so a read may examine more than it returns). */
    public boolean filtered() {
        return actorId.isPresent() || action.isPresent();
    }

    /**
     * The UTC months this query covers, newest first: from the month of {@code to} (exclusive, so
     * {@code to} = the first instant of a month ends in the month before) or of {@code clock}'s now,
     * back to the month of {@code from} or {@value #MAX_MONTHS} months in all. Empty when
     * {@code from} lies in the future.
     *
     * @throws AuditException {@code VALIDATION_ERROR} when the range spans more than {@value #MAX_MONTHS} months
     */
    public List<YearMonth> months(Clock clock) {
        YearMonth newest = YearMonth.from((to.isPresent() ? to.get().minusMillis(1) : clock.instant())
                .atOffset(ZoneOffset.UTC));
        YearMonth oldest = from.map(instant -> YearMonth.from(instant.atOffset(ZoneOffset.UTC)))
                .orElse(newest.minusMonths(MAX_MONTHS - 1L));
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth month = newest; !month.isBefore(oldest); month = month.minusMonths(1)) {
            if (months.size() == MAX_MONTHS) {
                throw AuditException.invalid("from", "A query covers at most " + MAX_MONTHS
                        + " calendar months; narrow 'from' and 'to'.");
            }
            months.add(month);
        }
        return months;
    }

    /** Builds an {@link AuditQuery}. */
    public static final class Builder {

        private Optional<String> actorId = Optional.empty();
        private Optional<ActionFilter> action = Optional.empty();
        private Optional<Instant> from = Optional.empty();
        private Optional<Instant> to = Optional.empty();
        private int limit = DEFAULT_LIMIT;
        private Optional<String> cursor = Optional.empty();

        private Builder() {
        }

        /** Only this actor. */
        public Builder actorId(String value) {
            this.actorId = Optional.of(value);
            return this;
        }

        /** Only these actions. */
        public Builder action(ActionFilter value) {
            this.action = Optional.of(value);
            return this;
        }

        /** Only these actions, parsed with {@link ActionFilter#parse}. */
        public Builder action(String value) {
            this.action = Optional.of(ActionFilter.parse(value));
            return this;
        }

        /** Earliest time, inclusive. */
        public Builder from(Instant value) {
            this.from = Optional.of(value);
            return this;
        }

        /** Latest time, exclusive. */
        public Builder to(Instant value) {
            this.to = Optional.of(value);
            return this;
        }

        /** Page size. */
        public Builder limit(int value) {
            this.limit = value;
            return this;
        }

        /** Continue after this cursor. */
        public Builder cursor(String value) {
            this.cursor = Optional.of(value);
            return this;
        }

        /** @throws AuditException {@code VALIDATION_ERROR} when out of range */
        public AuditQuery build() {
            return new AuditQuery(actorId, action, from, to, limit, cursor);
        }
    }
}
