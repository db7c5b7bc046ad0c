package dev.latchkey.core.apikey;

import dev.latchkey.core.principal.OrgAccess;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the daily verification counts ({@code api_key:read}; docs/api-keys.md "Verification analytics") of one key
 * ({@code GET /v1/orgs/{orgId}/api-keys/{keyId}/analytics}) or of all the organization's keys
 * ({@code GET /v1/orgs/{orgId}/api-keys/analytics}). A key of another organization is 404, like one that does not
 * exist (SECURITY.md [8.2.2]). The container's own pending counts are flushed first, so a verification made through
 * this container is in the answer at once; other containers' trail by at most their flush interval.
 */
public final class ShowVerificationAnalytics {

    /** Days answered when the request names no {@code from}: 30 up to {@code to}. */
    public static final int DEFAULT_DAYS = 30;

    private final ApiKeyRepository keys;
    private final VerificationAnalyticsRepository store;
    private final VerificationAnalytics analytics;
    private final Clock clock;

    /**
     * @param keys the key of the per-key route (its organization is checked)
     * @param store the daily counts
     * @param analytics this container's pending counts, flushed before each read
     * @param clock today
     */
    public ShowVerificationAnalytics(ApiKeyRepository keys, VerificationAnalyticsRepository store,
            VerificationAnalytics analytics, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.store = Objects.requireNonNull(store, "store");
        this.analytics = Objects.requireNonNull(analytics, "analytics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A day range and an outcome, from the request's texts, validated against today.
     *
     * @param from first day {@code yyyy-MM-dd}, default {@value #DEFAULT_DAYS} days up to {@code to}
     * @param to last day {@code yyyy-MM-dd}, default today (UTC)
     * @param outcome one of {@link VerificationOutcome#text()}, or none
     */
    public record Range(LocalDate from, LocalDate to, Optional<VerificationOutcome> outcome) {
    }

    /**
     * Parses and checks a range: days as {@code yyyy-MM-dd}, {@code from ≤ to ≤ today}, {@code from} within the
     * last {@value VerificationAnalytics#RETENTION_DAYS} days (older numbers are gone).
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} naming the query parameter
     */
    public Range range(Optional<String> from, Optional<String> to, Optional<String> outcome) {
        LocalDate today = VerificationAnalytics.day(clock.instant());
        LocalDate last = to.map(text -> date("to", text)).orElse(today);
        LocalDate first = from.map(text -> date("from", text)).orElse(last.minusDays(DEFAULT_DAYS - 1));
        if (last.isAfter(today)) {
            throw ApiKeyException.invalid("to", "OUT_OF_RANGE", "Query 'to' is today (UTC) at the latest.");
        }
        if (first.isAfter(last)) {
            throw ApiKeyException.invalid("from", "OUT_OF_RANGE", "Query 'from' is 'to' at the latest.");
        }
        LocalDate oldest = today.minusDays(VerificationAnalytics.RETENTION_DAYS - 1);
        if (first.isBefore(oldest)) {
            throw ApiKeyException.invalid("from", "OUT_OF_RANGE", "Verification analytics are kept "
                    + VerificationAnalytics.RETENTION_DAYS + " days: query 'from' is " + oldest + " at the earliest.");
        }
        Optional<VerificationOutcome> parsed = outcome.map(text -> VerificationOutcome.parse(text).orElseThrow(() ->
                ApiKeyException.invalid("outcome", "INVALID_FORMAT", "Query 'outcome' is one of "
                        + java.util.Arrays.stream(VerificationOutcome.values()).map(VerificationOutcome::text)
                                .collect(Collectors.joining(", ")) + ".")));
        return new Range(first, last, parsed);
    }

    /**
     * One key's days.
     *
     * @throws ApiKeyException 404 when the key does not exist in this organization
     */
    public VerificationReport forKey(OrgAccess access, String keyId, Range range) {
        if (!ApiKeyToken.isKeyId(keyId)) {
            throw ApiKeyException.notFound();
        }
        ApiKey key = keys.find(keyId).filter(k -> k.organizationId().equals(access.organizationId()))
                .orElseThrow(ApiKeyException::notFound);
        analytics.flush();
        return report(access.organizationId(), Optional.of(key.id()), range);
    }

    /** The organization's days: every key of it together (deleted keys' verifications included). */
    public VerificationReport forOrganization(OrgAccess access, Range range) {
        analytics.flush();
        return report(access.organizationId(), Optional.empty(), range);
    }

    private VerificationReport report(String organizationId, Optional<String> keyId, Range range) {
        Map<LocalDate, DailyVerifications> stored = store.read(organizationId, keyId.orElse(null), range.from(),
                range.to()).stream().collect(Collectors.toMap(DailyVerifications::day, Function.identity(),
                        (a, b) -> a));
        List<DailyVerifications> days = new ArrayList<>();
        for (LocalDate day = range.from(); !day.isAfter(range.to()); day = day.plus(1, ChronoUnit.DAYS)) {
            DailyVerifications found = stored.getOrDefault(day, DailyVerifications.none(day));
            days.add(range.outcome().map(o -> new DailyVerifications(found.day(), found.count(o) == 0 ? Map.of()
                    : Map.of(o, found.count(o)))).orElse(found));
        }
        return new VerificationReport(organizationId, keyId, range.from(), range.to(), range.outcome(), days);
    }

    private static LocalDate date(String field, String text) {
        try {
            if (text.length() != 10) {
                throw new DateTimeParseException("length", text, 0);
            }
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiKeyException.invalid(field, "INVALID_FORMAT", "Query '" + field + "' is a day, yyyy-MM-dd.");
        }
    }
}
