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
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bad rate-limit bucket key");
        }
        Instant now = clock.instant();
        long count = counts.computeIfAbsent(bucket + "#" + FixedWindow.start(now, limit), k -> new AtomicLong())
                .incrementAndGet();
        return FixedWindow.decide(count, now, limit);
    }
}
