package dev.latchkey.core.apikey;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An organization's keys in numbers.
 *
 * @param total keys counted
 * @param byState {@code active}, {@code expired}, {@code revoked} → count (every state present)
 * @param byPermission permission → number of active keys holding it
 * @param totalUses the sum of the keys' use counts
 * @param lastUsedAt the latest use of any key
 * @param truncated whether there were more than {@link ManageApiKeys#STATS_MAX_KEYS} keys
 */
public record ApiKeyStatistics(int total, Map<String, Integer> byState, Map<String, Integer> byPermission,
        long totalUses, Optional<Instant> lastUsedAt, boolean truncated) {

    /** Copies the maps, keeping their order. */
    public ApiKeyStatistics {
        byState = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byState));
        byPermission = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byPermission));
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }
}
