package dev.latchkey.core.ratelimit;

import java.time.Instant;

/**
 * Fixed-window arithmetic shared by every {@link RateLimiter}: windows start at multiples of the
 * window length since the epoch, so every container agrees on them without coordination.
 */
public final class FixedWindow {

    private FixedWindow() {
    }

    /** The start of the window containing {@code now}, in epoch seconds. */
    public static long start(Instant now, RateLimit limit) {
        long length = limit.window().getSeconds();
        return Math.floorDiv(now.getEpochSecond(), length) * length;
    }

    /** The decision for a window whose count (this request included) is {@code count}. */
    public static RateLimitDecision decide(long count, Instant now, RateLimit limit) {
        Instant reset = Instant.ofEpochSecond(start(now, limit) + limit.window().getSeconds());
        boolean allowed = count <= limit.limit();
        int remaining = (int) Math.max(0, limit.limit() - count);
        return new RateLimitDecision(allowed, limit.limit(), remaining, reset, now);
    }
}
