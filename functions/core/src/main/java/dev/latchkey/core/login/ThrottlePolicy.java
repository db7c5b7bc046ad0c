package dev.latchkey.core.login;

import java.time.Duration;

/**
 * How password login slows down guessing on one account (SECURITY.md "Login, lockout,
 * enumeration", NIST SP 800-63B §5.2.2, ASVS 6.1.1 / 6.3.1):
 * <ul>
 *   <li>the first {@code freeFailures} consecutive failures cost nothing;</li>
 *   <li>each further failure locks password login for {@code baseDelay × 2^(n − freeFailures − 1)},
 *       capped at {@code maxDelay};</li>
 *   <li>at {@code hardStopFailures} consecutive failures (NIST: at most 100) password login stops
 *       for {@code hardStop} — a bounded time, never for good, so an attacker cannot lock a user
 *       out permanently; a password reset or a passkey login still works;</li>
 *   <li>attempts while locked are not counted and do not extend the lock; a success resets.</li>
 * </ul>
 *
 * @param freeFailures failures before any delay
 * @param baseDelay the first delay
 * @param maxDelay the longest growing delay
 * @param hardStopFailures consecutive failures that stop password login (≤ 100)
 * @param hardStop how long the stop lasts
 * @param memory how long a failure streak is remembered without new failures
 */
public record ThrottlePolicy(int freeFailures, Duration baseDelay, Duration maxDelay, int hardStopFailures,
        Duration hardStop, Duration memory) {

    /** Checks the bounds. */
    public ThrottlePolicy {
        if (freeFailures < 1 || hardStopFailures <= freeFailures || hardStopFailures > 100) {
            throw new IllegalArgumentException("need 1 <= freeFailures < hardStopFailures <= 100");
        }
        if (baseDelay.isNegative() || baseDelay.isZero() || maxDelay.compareTo(baseDelay) < 0
                || hardStop.compareTo(maxDelay) < 0 || memory.compareTo(hardStop) < 0) {
            throw new IllegalArgumentException("need 0 < baseDelay <= maxDelay <= hardStop <= memory");
        }
    }

    /** 5 free failures, then 1 s doubling to 15 min; 100 failures stop password login for 24 h. */
    public static ThrottlePolicy defaults() {
        return new ThrottlePolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(15), 100, Duration.ofHours(24),
                Duration.ofDays(7));
    }

    /** The lock after the {@code failures}-th consecutive failure (zero: no lock). */
    public Duration lockAfter(long failures) {
        if (failures >= hardStopFailures) {
            return hardStop;
        }
        if (failures <= freeFailures) {
            return Duration.ZERO;
        }
        long exponent = Math.min(failures - freeFailures - 1, 30);
        Duration delay = baseDelay.multipliedBy(1L << exponent);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
