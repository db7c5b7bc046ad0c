package dev.latchkey.core.apikey;

import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.text.DisplayName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code POST /v1/orgs/{orgId}/api-keys} asks for, validated. The organization is not part of
 * it: it comes from the authorized path.
 *
 * @param name 1–{@value #MAX_NAME} code points after NFC and stripping, by the one {@link DisplayName} rule
 * @param permissions normalized by {@link Permissions#normalize}; may be empty (a key that only
 *     identifies its caller)
 * @param description up to {@value #MAX_DESCRIPTION} code points, the {@link DisplayName} rule but line feeds
 *     allowed
 * @param expiresInDays 1–{@value #MAX_EXPIRES_IN_DAYS}; empty for a key that does not expire
 * @param rateLimit the key's own limit
 * @param credits the key's usage credits, if it is metered (its {@code refilledAt} is set by the create)
 * @param rateLimits its named rate limits, distinct names, at most {@value NamedRateLimit#MAX_PER_KEY} with the
 *     default one; one named {@value NamedRateLimit#DEFAULT} becomes {@code rateLimit} (400 when both are given)
 * @param owner its IP allow-list, external id and meta
 */
public record CreateApiKeyCommand(String name, List<String> permissions, Optional<String> description,
        Optional<Integer> expiresInDays, Optional<RateLimit> rateLimit, Optional<ApiKeyCredits> credits,
        List<NamedRateLimit> rateLimits, ApiKeyOwnerData owner) {

    /** A key without owner data. */
    public CreateApiKeyCommand(String name, List<String> permissions, Optional<String> description,
            Optional<Integer> expiresInDays, Optional<RateLimit> rateLimit, Optional<ApiKeyCredits> credits,
            List<NamedRateLimit> rateLimits) {
        this(name, permissions, description, expiresInDays, rateLimit, credits, rateLimits, ApiKeyOwnerData.NONE);
    }

    /** A key without named rate limits. */
    public CreateApiKeyCommand(String name, List<String> permissions, Optional<String> description,
            Optional<Integer> expiresInDays, Optional<RateLimit> rateLimit, Optional<ApiKeyCredits> credits) {
        this(name, permissions, description, expiresInDays, rateLimit, credits, List.of());
    }

    /** A key without credits. */
    public CreateApiKeyCommand(String name, List<String> permissions, Optional<String> description,
            Optional<Integer> expiresInDays, Optional<RateLimit> rateLimit) {
        this(name, permissions, description, expiresInDays, rateLimit, Optional.empty(), List.of());
    }

    /** Longest name. */
    public static final int MAX_NAME = 100;
    /** Longest description. */
    public static final int MAX_DESCRIPTION = 500;
    /** Longest lifetime, ten years. */
    public static final int MAX_EXPIRES_IN_DAYS = 3650;

    /**
     * Validates and normalizes.
     *
     * @throws ApiKeyException or {@link dev.latchkey.core.principal.AccessException} {@code VALIDATION_ERROR}
     *     naming the field
     */
    public CreateApiKeyCommand {
        name = text("name", name, MAX_NAME, false)
                .orElseThrow(() -> ApiKeyException.invalid("name", "REQUIRED", "Field 'name' is required."));
        permissions = Permissions.normalize(permissions);
        Objects.requireNonNull(description, "description");
        description = description.flatMap(d -> text("description", d, MAX_DESCRIPTION, true));
        Objects.requireNonNull(expiresInDays, "expiresInDays");
        if (expiresInDays.isPresent() && (expiresInDays.get() < 1 || expiresInDays.get() > MAX_EXPIRES_IN_DAYS)) {
            throw ApiKeyException.invalid("expires_in_days", "OUT_OF_RANGE",
                    "Field 'expires_in_days' is 1 to " + MAX_EXPIRES_IN_DAYS + ".");
        }
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(credits, "credits");
        Objects.requireNonNull(rateLimits, "rateLimits");
        java.util.Set<String> names = new java.util.HashSet<>();
        List<NamedRateLimit> named = new java.util.ArrayList<>();
        for (NamedRateLimit limit : rateLimits) {
            if (!names.add(limit.name())) {
                throw ApiKeyException.invalid("rate_limits", "DUPLICATE", "Rate limit names are distinct.");
            }
            if (limit.name().equals(NamedRateLimit.DEFAULT)) {
                if (rateLimit.isPresent()) {
                    throw ApiKeyException.invalid("rate_limits", "DUPLICATE",
                            "Give 'rate_limit' or a rate limit named 'default', not both.");
                }
                rateLimit = Optional.of(limit.limit());
            } else {
                named.add(limit);
            }
        }
        if (named.size() + (rateLimit.isPresent() ? 1 : 0) > NamedRateLimit.MAX_PER_KEY) {
            throw ApiKeyException.invalid("rate_limits", "TOO_MANY", "A key has at most "
                    + NamedRateLimit.MAX_PER_KEY + " rate limits.");
        }
        rateLimits = List.copyOf(named);
        Objects.requireNonNull(owner, "owner");
    }

    /**
     * Credits from the request's numbers (the refill already built).
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} when {@code remaining} is missing or out of range
     */
    public static ApiKeyCredits credits(Long remaining, Optional<CreditRefill> refill) {
        if (remaining == null) {
            throw ApiKeyException.invalid("credits.remaining", "REQUIRED", "Field 'credits.remaining' is required.");
        }
        if (remaining < 0 || remaining > ApiKeyCredits.MAX) {
            throw ApiKeyException.invalid("credits.remaining", "OUT_OF_RANGE",
                    "Field 'credits.remaining' is 0 to " + ApiKeyCredits.MAX + ".");
        }
        return new ApiKeyCredits(remaining, refill, Optional.empty());
    }

    /**
     * A refill from the request's values.
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} for a missing or unknown interval, a missing amount, or values
     *     out of range
     */
    public static CreditRefill refill(String interval, Long amount, Integer dayOfMonth) {
        CreditRefill.Interval parsed;
        if ("daily".equals(interval)) {
            parsed = CreditRefill.Interval.DAILY;
        } else if ("monthly".equals(interval)) {
            parsed = CreditRefill.Interval.MONTHLY;
        } else {
            throw ApiKeyException.invalid("credits.refill.interval", "INVALID_FORMAT",
                    "Field 'credits.refill.interval' is daily or monthly.");
        }
        if (amount == null) {
            throw ApiKeyException.invalid("credits.refill.amount", "REQUIRED",
                    "Field 'credits.refill.amount' is required.");
        }
        return new CreditRefill(parsed, amount, Optional.ofNullable(dayOfMonth));
    }

    /**
     * A rate limit from the request's numbers.
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} when either is missing or out of range
     */
    public static RateLimit rateLimit(Integer limit, Integer windowSeconds) {
        if (limit == null || windowSeconds == null) {
            throw ApiKeyException.invalid("rate_limit", "REQUIRED",
                    "Field 'rate_limit' needs 'limit' and 'window_seconds'.");
        }
        try {
            return RateLimit.perSeconds(limit, windowSeconds);
        } catch (IllegalArgumentException e) {
            throw ApiKeyException.invalid("rate_limit", "OUT_OF_RANGE",
                    "'rate_limit.limit' is 1 to 1000000 and 'rate_limit.window_seconds' 1 to 86400.");
        }
    }

    /**
     * Normalizes free text (NFC, stripped) and checks it by the {@link DisplayName} rule.
     *
     * @return empty for blank text
     */
    static Optional<String> text(String field, String value, int max, boolean newlines) {
        if (value == null) {
            return Optional.empty();
        }
        String normalized = DisplayName.normalize(value);
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        DisplayName.problem(normalized, max, newlines).ifPresent(problem -> {
            throw ApiKeyException.invalid(field, problem.name(), DisplayName.message(field, problem, max));
        });
        return Optional.of(normalized);
    }
}
