package dev.latchkey.core.ratelimit;

import java.util.regex.Pattern;

/**
 * Counts requests per bucket in fixed windows. A bucket names who is limited and for what, e.g.
 * {@code login:ip:203.0.113.10} or {@code apikey:key_01J…}; its key is built by the caller from
 * trusted values only (API Gateway's {@code sourceIp}, never {@code X-Forwarded-For}).
 */
public interface RateLimiter {

    /** What a bucket key may contain: no secret (a key id, never a key), at most 200 characters. */
    Pattern BUCKET = Pattern.compile("[A-Za-z0-9_.:@#/+=-]{1,200}");

    /**
     * Counts one request in the bucket's current window and says whether it is within the limit.
     * Requests over the limit are counted too (they are attempts), so hammering never frees a slot.
     *
     * @throws IllegalArgumentException when the bucket key does not match {@link #BUCKET}
     * @throws dev.latchkey.core.store.StoreUnavailableException when the counter store fails:
     *     callers fail closed
     */
    RateLimitDecision consume(String bucket, RateLimit limit);

    /**
     * Counts {@code cost} requests in the bucket's current window (0 counts nothing and only reads) and says whether
     * the window's count, these included, is within the limit. Like {@link #consume(String, RateLimit)}, requests
     * over the limit are counted too.
     *
     * @param cost 0 to the limit's maximum, {@value #MAX_COST}
     * @throws IllegalArgumentException for a bad bucket or cost
     * @throws dev.latchkey.core.store.StoreUnavailableException when the counter store fails
     */
    default RateLimitDecision consume(String bucket, RateLimit limit, int cost) {
        if (cost != 1) {
            throw new UnsupportedOperationException("this limiter counts one request at a time");
        }
        return consume(bucket, limit);
    }

    /** The largest cost of one {@link #consume(String, RateLimit, int)}. */
    int MAX_COST = 1_000_000;
}
