package dev.latchkey.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void limitAndWindowAreValidated() {
        assertThatThrownBy(() -> RateLimit.perSeconds(0, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.perSeconds(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.perSeconds(10, 86_401)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimit(10, Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RateLimit.perSeconds(1_000_000, 86_400).limit()).isEqualTo(1_000_000);
    }

    @Test
    void windowsStartAtMultiplesOfTheirLengthSoEveryContainerAgrees() {
        var minute = RateLimit.perSeconds(5, 60);
        assertThat(FixedWindow.start(T0.plusSeconds(59), minute)).isEqualTo(T0.getEpochSecond());
        assertThat(FixedWindow.start(T0.plusSeconds(60), minute)).isEqualTo(T0.getEpochSecond() + 60);
    }

    @Test
    void consumeWhenOverTheLimitThenDeniedUntilTheNextWindow() {
        var clock = new MutableClock(T0.plusSeconds(10));
        var limiter = new InMemoryRateLimiter(clock);
        var limit = RateLimit.perSeconds(3, 60);
        for (int i = 1; i <= 3; i++) {
            var decision = limiter.consume("ip:203.0.113.10:login", limit);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(3 - i);
        }
        var denied = limiter.consume("ip:203.0.113.10:login", limit);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.remaining()).isZero();
        assertThat(denied.resetSeconds()).isEqualTo(50);
        assertThat(limiter.consume("ip:198.51.100.7:login", limit).allowed()).as("other bucket").isTrue();
        clock.advance(Duration.ofSeconds(50));
        assertThat(limiter.consume("ip:203.0.113.10:login", limit).allowed()).as("next window").isTrue();
    }

    @Test
    void headersCarryIetfAndXRateLimitFormsAndRetryAfterOnlyWhenDenied() {
        var limit = RateLimit.perSeconds(2, 60);
        var now = T0.plusMillis(10_500);
        var allowed = FixedWindow.decide(1, now, limit);
        assertThat(allowed.headers()).containsEntry("ratelimit-limit", "2").containsEntry("ratelimit-remaining", "1")
                .containsEntry("ratelimit-reset", "50").containsEntry("x-ratelimit-limit", "2")
                .containsEntry("x-ratelimit-remaining", "1")
                .containsEntry("x-ratelimit-reset", Long.toString(T0.getEpochSecond() + 60))
                .doesNotContainKey("retry-after");
        var denied = FixedWindow.decide(3, now, limit);
        assertThat(denied.headers()).containsEntry("retry-after", "50").containsEntry("ratelimit-remaining", "0");
    }

    @Test
    void resetIsNeverZeroSoClientsDoNotSpin() {
        var limit = RateLimit.perSeconds(1, 1);
        assertThat(FixedWindow.decide(2, T0.plusMillis(999), limit).resetSeconds()).isEqualTo(1);
        assertThat(FixedWindow.decide(2, T0, limit).resetSeconds()).isEqualTo(1);
    }

    @Test
    void rateLimitedExceptionIs429WithTheDecisionsHeaders() {
        var denied = FixedWindow.decide(6, T0.plusSeconds(30), RateLimit.perSeconds(5, 60));
        var e = new RateLimitedException(denied);
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.code().status()).isEqualTo(429);
        assertThat(e.headers()).containsEntry("retry-after", "30").containsEntry("x-ratelimit-remaining", "0");
        assertThatThrownBy(() -> new RateLimitedException(FixedWindow.decide(1, T0, RateLimit.perSeconds(5, 60))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bucketKeysWithSpacesControlCharactersOrOverlongAreRejected() {
        var limiter = new InMemoryRateLimiter(new MutableClock(T0));
        var limit = RateLimit.perSeconds(5, 60);
        assertThatThrownBy(() -> limiter.consume("ip 1", limit)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.consume("a\nb", limit)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.consume("x".repeat(201), limit)).isInstanceOf(IllegalArgumentException.class);
        assertThat(limiter.consume("apikey:key_01JABC", limit).allowed()).isTrue();
    }
}
