package dev.latchkey.core.apikey;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Where the daily verification counts live (docs/api-keys.md "Verification analytics"): one record per key and day
 * and one per organization and day, each kept {@value VerificationAnalytics#RETENTION_DAYS} days. Written only by
 * {@link VerificationAnalytics}'s flushes, never on a verification's own path.
 */
public interface VerificationAnalyticsRepository {

    /**
     * Adds counts to a key's day ({@code keyId} given) or to its organization's day ({@code keyId} null), atomically
     * (an {@code ADD}: parallel containers adding to the same day lose nothing).
     *
     * @param organizationId the organization the counts belong to
     * @param keyId the key, or null for the organization's record
     * @param day the UTC day
     * @param counts positive counts per outcome
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void add(String organizationId, String keyId, LocalDate day, Map<VerificationOutcome, Long> counts);

    /**
     * The recorded days of a key ({@code keyId} given) or of an organization ({@code keyId} null), from {@code from}
     * to {@code to} included, oldest first; days without a record are left out.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    List<DailyVerifications> read(String organizationId, String keyId, LocalDate from, LocalDate to);
}
