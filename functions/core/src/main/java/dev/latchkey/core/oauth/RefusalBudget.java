package dev.latchkey.core.oauth;

import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token endpoint's per-IP budget ({@link OAuthRateLimit#TOKEN}, {@code LATCHKEY_OAUTH_TOKEN_PER_MINUTE}) as a
 * budget of <em>refused</em> requests, so that an issued token costs no counter write (issue 16: at most one write per
 * token, docs/performance.md "DynamoDB requests per token"):
 * <ul>
 *   <li>{@link #refused} counts one refused request (a wrong secret, a bad or replayed assertion, an unknown API key,
 *       a malformed request) in the shared fixed-window counter of {@link RateLimiter} — one {@code UpdateItem}, as
 *       every request cost before — and answers 429 {@code slow_down} when that refusal is over the limit. The
 *       guesses the limit exists to stop are exactly these requests;</li>
 *   <li>{@link #check}, before anything else, refuses with 429 an address this container has seen over the limit in
 *       the current window, without a request to the store. Another container learns it from the counter on its first
 *       refusal from that address, so a window admits at most the limit plus one evaluated request per container;
 *       every evaluated refusal is audited as before;</li>
 *   <li>a successful token request is not counted per address: secrets are 256 random bits and assertions single-use,
 *       so there is nothing to guess in it, and successful issuance is recorded per client instead (the audit log's
 *       issuance summary).</li>
 * </ul>
 * State: one entry per address over the limit, dropped when its window ends; at most {@value #MAX_TRACKED} entries
 * (cleared when full: the counter in the store stays the truth).
 */
public final class RefusalBudget {

    /** Most blocked addresses remembered per container. */
    static final int MAX_TRACKED = 10_000;

    private final RateLimiter limiter;
    private final RateLimit limit;
    private final Clock clock;
    private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();

    /**
     * @param limiter the shared counters
     * @param perMinute refused requests per source IP and minute
     * @param clock the time (windows)
     */
    public RefusalBudget(RateLimiter limiter, int perMinute, Clock clock) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.limit = RateLimit.perSeconds(perMinute, 60);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Before the request is looked at: 429 when this address is known to be over its budget in this window.
     *
     * @throws OAuthError 429 {@code slow_down}
     */
    public void check(String sourceIp) {
        String bucket = OAuthRateLimit.TOKEN.bucket(sourceIp);
        Instant until = blockedUntil.get(bucket);
        if (until == null) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(until)) {
            throw OAuthError.slowDown(new RateLimitDecision(false, limit.limit(), 0, until, now).headers());
        }
        blockedUntil.remove(bucket, until);
    }

    /**
     * Counts one refused request of {@code sourceIp}.
     *
     * @return the refusal to answer: {@code refusal} itself within the budget, else 429 {@code slow_down}
     * @throws dev.latchkey.core.store.StoreUnavailableException when the counter store fails (fail closed)
     */
    public OAuthError refused(String sourceIp, OAuthError refusal) {
        String bucket = OAuthRateLimit.TOKEN.bucket(sourceIp);
        RateLimitDecision decision = limiter.consume(bucket, limit);
        if (decision.allowed()) {
            return refusal;
        }
        if (blockedUntil.size() >= MAX_TRACKED) {
            blockedUntil.clear();
        }
        blockedUntil.put(bucket, decision.resetAt());
        return OAuthError.slowDown(decision.headers());
    }

    /** Whether a refusal counts against the budget: a client error (4xx) other than 429 itself. */
    public static boolean counts(OAuthError refusal) {
        return refusal.status() >= 400 && refusal.status() < 500 && refusal.status() != 429;
    }
}
