package dev.latchkey.core.ratelimit;

import java.time.Duration;

/**
 * A limit: at most {@code limit} requests per fixed {@code window}.
 *
 * @param limit requests allowed per window, 1–1,000,000
 * @param window the window length, 1 s – 1 day, whole seconds
 */
public record RateLimit(int limit, Duration window) {

    /** Validates both. */
    public RateLimit {
        if (limit < 1 || limit > 1_000_000) {
            throw new IllegalArgumentException("limit must be in 1..1000000");
        }
        if (window.isNegative() || window.getSeconds() < 1 || window.getSeconds() > 86_400 || window.getNano() != 0) {
            throw new IllegalArgumentException("window must be whole seconds in 1..86400");
        }
    }

    /** A limit per number of seconds. */
    public static RateLimit perSeconds(int limit, long seconds) {
        return new RateLimit(limit, Duration.ofSeconds(seconds));
    }
}
