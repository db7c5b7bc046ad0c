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
}
