package dev.latchkey.core.apikey;

import dev.latchkey.core.ratelimit.RateLimiter;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verify asks for beyond the key and a permission (docs/api-keys.md "Verification").
 *
 * @param cost credits to spend, 0–{@value ApiKeyCredits#MAX} (a key with credits only)
 * @param rateLimit the name of the key's rate limit to apply; empty applies the {@link NamedRateLimit#DEFAULT
 *     default} one (if the key has it)
 * @param rateLimitCost requests to count against that limit, 0–{@value RateLimiter#MAX_COST}
 * @param clientIp the address of the client that presented the key (the verify request's {@code ip}, or the
 *     caller's own source address when the key is presented to Latchkey); checked against the key's allow-list
 */
public record VerifyOptions(long cost, Optional<String> rateLimit, int rateLimitCost, Optional<String> clientIp) {

    /** Without a client address. */
    public VerifyOptions(long cost, Optional<String> rateLimit, int rateLimitCost) {
        this(cost, rateLimit, rateLimitCost, Optional.empty());
    }

    /** Checks the ranges. */
    public VerifyOptions {
        if (cost < 0 || cost > ApiKeyCredits.MAX) {
            throw ApiKeyException.invalid("cost", "OUT_OF_RANGE", "Field 'cost' is 0 to " + ApiKeyCredits.MAX + ".");
        }
        Objects.requireNonNull(rateLimit, "rateLimit");
        if (rateLimit.isPresent() && !NamedRateLimit.isName(rateLimit.get())) {
            throw ApiKeyException.invalid("rate_limit.name", "INVALID_FORMAT",
                    "Field 'rate_limit.name' is a rate limit's name.");
        }
        if (rateLimitCost < 0 || rateLimitCost > RateLimiter.MAX_COST) {
            throw ApiKeyException.invalid("rate_limit.cost", "OUT_OF_RANGE",
                    "Field 'rate_limit.cost' is 0 to " + RateLimiter.MAX_COST + ".");
        }
        Objects.requireNonNull(clientIp, "clientIp");
    }

    /** One credit, the default rate limit, one request. */
    public static VerifyOptions defaults() {
        return new VerifyOptions(1, Optional.empty(), 1);
    }

    /** {@code cost} credits, the default rate limit, one request. */
    public static VerifyOptions cost(long cost) {
        return new VerifyOptions(cost, Optional.empty(), 1);
    }
}
