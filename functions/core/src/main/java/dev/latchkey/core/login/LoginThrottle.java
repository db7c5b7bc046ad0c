package dev.latchkey.core.login;

import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Brute-force protection for password login, in two layers:
 * <ul>
 *   <li>per source IP (API Gateway's {@code sourceIp}, never {@code X-Forwarded-For}): a fixed
 *       window of attempts; over it the caller gets 429 with {@code Retry-After} — visible,
 *       because it says nothing about any account;</li>
 *   <li>per account: {@link ThrottlePolicy}'s growing delays. A locked account answers exactly like
 *       a wrong password (the caller still runs a dummy hash, so timing matches), so a lock reveals
 *       neither the lock nor that the account exists.</li>
 * </ul>
 */
public final class LoginThrottle {

    private final LoginAttempts attempts;
    private final RateLimiter rateLimiter;
    private final ThrottlePolicy policy;
    private final RateLimit perIp;
    private final Clock clock;

    /**
     * @param attempts per-account failure streaks
     * @param rateLimiter per-IP windows
     * @param policy the per-account delays
     * @param perIp the per-IP limit
     * @param clock the time source
     */
    public LoginThrottle(LoginAttempts attempts, RateLimiter rateLimiter, ThrottlePolicy policy, RateLimit perIp,
            Clock clock) {
        this.attempts = attempts;
        this.rateLimiter = rateLimiter;
        this.policy = policy;
        this.perIp = perIp;
        this.clock = clock;
    }

    /** The default per-IP limit: 100 password-login attempts per 15 minutes. */
    public static RateLimit defaultPerIp() {
        return RateLimit.perSeconds(100, 15 * 60);
    }

    /** The account key for a canonical email: a SHA-256, so no address is stored or logged. */
    public static String accountKey(String canonicalEmail) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("login:" + canonicalEmail).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /**
     * Admits one attempt before any password work.
     *
     * @return whether the account may try now ({@code false}: answer as for a wrong password)
     * @throws RateLimitedException when the source IP is over its window
     */
    public boolean admit(String sourceIp, String accountKey) {
        RateLimitDecision decision = rateLimiter.consume("login:ip:" + sourceIp, perIp);
        if (!decision.allowed()) {
            throw new RateLimitedException(decision);
        }
        return attempts.current(accountKey).map(streak -> !streak.lockedAt(clock.instant())).orElse(true);
    }

    /** Records a failed attempt (wrong password or unknown account). */
    public void failed(String accountKey) {
        attempts.recordFailure(accountKey, clock.instant(), policy);
    }

    /** Records a success: the streak is forgotten. */
    public void succeeded(String accountKey) {
        attempts.reset(accountKey);
    }
}
