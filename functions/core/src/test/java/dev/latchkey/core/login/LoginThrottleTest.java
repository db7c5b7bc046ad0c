package dev.latchkey.core.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final ThrottlePolicy POLICY = ThrottlePolicy.defaults();

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryLoginAttempts attempts = new InMemoryLoginAttempts();
    private final LoginThrottle throttle = new LoginThrottle(attempts, new InMemoryRateLimiter(clock), POLICY,
            RateLimit.perSeconds(1000, 900), clock);
    private final String account = LoginThrottle.accountKey("ada@example.com");

    @Test
    void policyGrowsDelaysFromTheSixthFailureCapsThemAndStopsAtOneHundred() {
        assertThat(POLICY.lockAfter(5)).isZero();
        assertThat(POLICY.lockAfter(6)).isEqualTo(Duration.ofSeconds(1));
        assertThat(POLICY.lockAfter(7)).isEqualTo(Duration.ofSeconds(2));
        assertThat(POLICY.lockAfter(15)).isEqualTo(Duration.ofSeconds(512));
        assertThat(POLICY.lockAfter(16)).isEqualTo(Duration.ofMinutes(15));
        assertThat(POLICY.lockAfter(99)).isEqualTo(Duration.ofMinutes(15));
        assertThat(POLICY.lockAfter(100)).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> new ThrottlePolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(15), 101,
                Duration.ofHours(24), Duration.ofDays(7))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("[6.3.1] growing delay; attempts while locked neither count nor extend the lock")
    void admitWhenLockedThenRefusedAndLockedAttemptsDoNotCount() {
        for (int i = 0; i < 6; i++) {
            assertThat(throttle.admit("203.0.113.10", account)).isTrue();
            throttle.failed(account);
        }
        assertThat(throttle.admit("203.0.113.10", account)).as("locked for 1 s").isFalse();
        throttle.failed(account);
        assertThat(attempts.current(account).orElseThrow().failures()).isEqualTo(6);
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.admit("203.0.113.10", account)).isTrue();
    }

    @Test
    @DisplayName("[6.3.1] a success forgets the streak")
    void succeededResetsTheStreak() {
        for (int i = 0; i < 5; i++) {
            throttle.failed(account);
        }
        throttle.succeeded(account);
        assertThat(attempts.current(account)).isEmpty();
    }

    @Test
    @DisplayName("[6.1.1] 100 consecutive failures stop password login for 24 h, not forever")
    void hundredFailuresStopForADayThenLoginIsPossibleAgain() {
        for (int i = 0; i < 100; i++) {
            clock.set(attempts.current(account).map(LoginAttempts.Streak::lockedUntil).filter(clock.instant()::isBefore)
                    .orElse(clock.instant()));
            throttle.failed(account);
        }
        var streak = attempts.current(account).orElseThrow();
        assertThat(streak.failures()).isEqualTo(100);
        assertThat(Duration.between(clock.instant(), streak.lockedUntil())).isEqualTo(Duration.ofHours(24));
        clock.advance(Duration.ofHours(24));
        assertThat(throttle.admit("203.0.113.10", account)).isTrue();
    }

    @Test
    @DisplayName("[15.3.4] the per-IP window is keyed by the source IP only")
    void admitWhenTheIpIsOverItsWindowThenRateLimited() {
        var strict = new LoginThrottle(attempts, new InMemoryRateLimiter(clock), POLICY, RateLimit.perSeconds(2, 900),
                clock);
        strict.admit("203.0.113.10", account);
        strict.admit("203.0.113.10", LoginThrottle.accountKey("bob@example.com"));
        assertThatThrownBy(() -> strict.admit("203.0.113.10", account)).isInstanceOf(RateLimitedException.class);
        assertThat(strict.admit("198.51.100.7", account)).isTrue();
    }

    @Test
    void accountKeysAreHashesNotEmails() {
        assertThat(account).matches("[0-9a-f]{32}").doesNotContain("ada");
        assertThat(LoginThrottle.accountKey("ada@example.com")).isEqualTo(account);
    }

    /** An in-memory streak store with the real contract. */
    static final class InMemoryLoginAttempts implements LoginAttempts {
        private final Map<String, Streak> streaks = new HashMap<>();

        @Override
        public synchronized Optional<Streak> current(String accountKey) {
            return Optional.ofNullable(streaks.get(accountKey));
        }

        @Override
        public synchronized Streak recordFailure(String accountKey, Instant now, ThrottlePolicy policy) {
            Streak current = streaks.get(accountKey);
            if (current != null && current.lockedAt(now)) {
                return current;
            }
            long failures = current == null ? 1 : current.failures() + 1;
            Streak next = new Streak(failures, now.plus(policy.lockAfter(failures)));
            streaks.put(accountKey, next);
            return next;
        }

        @Override
        public synchronized void reset(String accountKey) {
            streaks.remove(accountKey);
        }
    }
}
