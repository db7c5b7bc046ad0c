package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The OAuth endpoints' per-IP limits: token and revocation share one bucket, introspection has its own. */
class OAuthRateLimitTest {

    private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(new MutableClock(
            Instant.parse("2026-03-12T10:00:00Z")));

    @Test
    void consumeWhenOverTokenLimitThenSlowDownButIntrospectionStillServed() {
        for (int i = 0; i < OAuthRateLimit.TOKEN_PER_MINUTE; i++) {
            OAuthRateLimit.TOKEN.consume(limiter, "203.0.113.10");
        }
        OAuthError e = catchThrowableOfType(OAuthError.class,
                () -> OAuthRateLimit.TOKEN.consume(limiter, "203.0.113.10"));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.error()).isEqualTo("slow_down");
        assertThat(e.headers()).containsKey("retry-after");
        OAuthRateLimit.INTROSPECT.consume(limiter, "203.0.113.10");
        OAuthRateLimit.TOKEN.consume(limiter, "203.0.113.11");
    }

    @Test
    void bucketWhenNoAddressThenUnknown() {
        assertThat(OAuthRateLimit.TOKEN.bucket("")).isEqualTo("ip:unknown:oauth");
        assertThat(OAuthRateLimit.INTROSPECT.bucket("203.0.113.10")).isEqualTo("ip:203.0.113.10:introspect");
    }
}
