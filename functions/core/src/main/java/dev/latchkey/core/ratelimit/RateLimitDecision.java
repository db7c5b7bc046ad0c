package dev.latchkey.core.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one {@link RateLimiter#consume} call.
 *
 * @param allowed whether the request may go on
 * @param limit the window's limit
 * @param remaining how many more requests the window allows (0 when denied)
 * @param resetAt when the current window ends
 * @param now the time of the decision
 */
public record RateLimitDecision(boolean allowed, int limit, int remaining, Instant resetAt, Instant now) {

    /** Seconds until the window resets, at least 1 (so clients never retry in a busy loop). */
    public long resetSeconds() {
        long seconds = Duration.between(now, resetAt).toSeconds() + (Duration.between(now, resetAt).toNanosPart() > 0
                ? 1 : 0);
        return Math.max(1, seconds);
    }

    /**
     * The response headers of this decision: {@code RateLimit-Limit/Remaining/Reset} (IETF
     * draft-ietf-httpapi-ratelimit-headers, reset as delta seconds), the widespread
     * {@code X-RateLimit-*} (reset as epoch seconds, as GitHub sends it), and {@code Retry-After}
     * (RFC 9110 §10.2.3, delta seconds) when denied.
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ratelimit-limit", Integer.toString(limit));
        headers.put("ratelimit-remaining", Integer.toString(remaining));
        headers.put("ratelimit-reset", Long.toString(resetSeconds()));
        headers.put("x-ratelimit-limit", Integer.toString(limit));
        headers.put("x-ratelimit-remaining", Integer.toString(remaining));
        headers.put("x-ratelimit-reset", Long.toString(resetAt.getEpochSecond()));
        if (!allowed) {
            headers.put("retry-after", Long.toString(resetSeconds()));
        }
        return headers;
    }
}
