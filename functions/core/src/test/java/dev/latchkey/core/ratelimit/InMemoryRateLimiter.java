package dev.latchkey.core.ratelimit;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory {@link RateLimiter} for unit tests of use cases, with the real window arithmetic. */
public final class InMemoryRateLimiter implements RateLimiter {

    private final Clock clock;
    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** @param clock the time source */
    public InMemoryRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public RateLimitDecision consume(String bucket, RateLimit limit) {
        return consume(bucket, limit, 1);
    }

    @Override
    public RateLimitDecision consume(String bucket, RateLimit limit, int cost) {
        if (!BUCKET.matcher(bucket).matches() || cost < 0 || cost > MAX_COST) {
            throw new IllegalArgumentException("bad rate-limit bucket key or cost");
        }
        Instant now = clock.instant();
        long count = counts.computeIfAbsent(bucket + "#" + FixedWindow.start(now, limit), k -> new AtomicLong())
                .addAndGet(cost);
        return FixedWindow.decide(count, now, limit);
    }
}
