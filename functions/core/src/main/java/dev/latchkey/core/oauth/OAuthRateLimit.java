package dev.latchkey.core.oauth;

import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimiter;

/**
 * The OAuth endpoints' rate limits, per source IP and minute, checked before anything else: token and revocation
 * requests share {@link #TOKEN} (bucket {@code ip:<sourceIp>:oauth}); introspection has its own
 * {@link #INTROSPECT} (bucket {@code ip:<sourceIp>:introspect}), because a resource server introspects per request
 * it serves and must not starve its own token requests. Over it → 429 {@code slow_down} with {@code Retry-After}
 * and the {@code RateLimit-*}/{@code X-RateLimit-*} headers.
 */
public enum OAuthRateLimit {

    /** {@code /oauth/token} and {@code /oauth/revoke}. */
    TOKEN("oauth", OAuthRateLimit.TOKEN_PER_MINUTE),

    /**
     * {@code /oauth/introspect}. Higher than {@link #TOKEN}: a resource server asks for many tokens it receives, and
     * every introspection first authenticates the client (secrets are 256 random bits, assertions single-use), so
     * the limit guards the store's capacity, not a guessable secret.
     */
    INTROSPECT("introspect", OAuthRateLimit.INTROSPECT_PER_MINUTE);

    /** Requests per source IP and minute on the token and revocation endpoints. */
    public static final int TOKEN_PER_MINUTE = 60;

    /** Introspection requests per source IP and minute. */
    public static final int INTROSPECT_PER_MINUTE = 1_200;

    private final String name;
    private final RateLimit limit;

    OAuthRateLimit(String name, int perMinute) {
        this.name = name;
        this.limit = RateLimit.perSeconds(perMinute, 60);
    }

    /**
     * Counts one request from {@code sourceIp}.
     *
     * @param sourceIp the caller's address as the request carries it (empty → {@code unknown})
     * @throws OAuthError 429 {@code slow_down} when over the limit
     */
    public void consume(RateLimiter limiter, String sourceIp) {
        RateLimitDecision decision = limiter.consume(bucket(sourceIp), limit);
        if (!decision.allowed()) {
            throw OAuthError.slowDown(decision.headers());
        }
    }

    /** The bucket {@code ip:<sourceIp>:<name>}. */
    String bucket(String sourceIp) {
        return "ip:" + (sourceIp.isEmpty() ? "unknown" : sourceIp) + ":" + name;
    }
}
