package dev.latchkey.core.apikey;

import dev.latchkey.core.ratelimit.RateLimit;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code PATCH /v1/orgs/{orgId}/api-keys/{keyId}} changes (docs/api-keys.md "Changing a key"): the settings a
 * key gets at create that may change later. Only the {@link #fields} named are changed; an empty value among them
 * removes the setting.
 *
 * @param fields the settings to change, at least one
 * @param externalId the new external id, or empty to remove it
 * @param meta the new meta (a JSON object's compact text, ≤ 4 KB), or empty to remove it
 * @param rateLimit the new default rate limit, or empty to remove it
 * @param rateLimits the new named limits besides the default one (they replace the key's)
 * @param allowedIps the new allow-list, or empty to remove it
 */
public record ApiKeyUpdate(Set<Field> fields, Optional<String> externalId, Optional<String> meta,
        Optional<RateLimit> rateLimit, List<NamedRateLimit> rateLimits, List<IpRange> allowedIps) {

    /** A setting that can change. */
    public enum Field {
        /** {@code external_id}. */
        EXTERNAL_ID,
        /** {@code meta}. */
        META,
        /** {@code rate_limit} (the {@value NamedRateLimit#DEFAULT} one). */
        RATE_LIMIT,
        /** {@code rate_limits} (the others). */
        RATE_LIMITS,
        /** {@code allowed_ips}. */
        ALLOWED_IPS;

        /** The request's field name. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Validates: at least one field; each value by the rules of create (external id shape, meta size, distinct limit
     * names, at most {@value NamedRateLimit#MAX_PER_KEY} limits counted with the default one when both change, at
     * most {@value ApiKeyOwnerData#MAX_ALLOWED_IPS} ranges).
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} naming the field
     */
    public ApiKeyUpdate {
        fields = fields.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(fields));
        if (fields.isEmpty()) {
            throw ApiKeyException.invalid("body", "REQUIRED", "Give at least one of external_id, meta, rate_limit, "
                    + "rate_limits, allowed_ips.");
        }
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(rateLimit, "rateLimit");
        rateLimits = List.copyOf(rateLimits);
        allowedIps = List.copyOf(allowedIps);
        // The owner data's own checks: external id shape, meta size, number of ranges.
        new ApiKeyOwnerData(allowedIps, externalId, meta);
        Set<String> names = new HashSet<>();
        for (NamedRateLimit limit : rateLimits) {
            if (limit.name().equals(NamedRateLimit.DEFAULT)) {
                throw new IllegalArgumentException("the default rate limit is rateLimit");
            }
            if (!names.add(limit.name())) {
                throw ApiKeyException.invalid("rate_limits", "DUPLICATE", "Rate limit names are distinct.");
            }
        }
        if (rateLimits.size() >= NamedRateLimit.MAX_PER_KEY) {
            throw ApiKeyException.invalid("rate_limits", "TOO_MANY", "A key has at most "
                    + NamedRateLimit.MAX_PER_KEY + " rate limits.");
        }
    }

    /** Whether the update changes this setting. */
    public boolean changes(Field field) {
        return fields.contains(field);
    }
}
