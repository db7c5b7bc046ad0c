package dev.latchkey.core.oauth;

import dev.latchkey.core.config.Limits;
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

    /**
     * Default requests per source IP and minute on the token and revocation endpoints
     * ({@code LATCHKEY_OAUTH_TOKEN_PER_MINUTE}; {@link Limits#DEFAULT_OAUTH_TOKEN_PER_MINUTE} says why).
     */
    public static final int TOKEN_PER_MINUTE = Limits.DEFAULT_OAUTH_TOKEN_PER_MINUTE;

    /** Default introspection requests per source IP and minute ({@code LATCHKEY_OAUTH_INTROSPECT_PER_MINUTE}). */
    public static final int INTROSPECT_PER_MINUTE = Limits.DEFAULT_OAUTH_INTROSPECT_PER_MINUTE;

    private final String name;
    private final int defaultPerMinute;

    OAuthRateLimit(String name, int perMinute) {
        this.name = name;
        this.defaultPerMinute = perMinute;
    }

    /** This endpoint's budget in {@code limits} ({@code LATCHKEY_OAUTH_TOKEN_PER_MINUTE} or {@code …_INTROSPECT_…}). */
    public int perMinute(Limits limits) {
        return this == TOKEN ? limits.oauthTokenPerMinute() : limits.oauthIntrospectPerMinute();
    }

    /**
     * Counts one request from {@code sourceIp} against the default budget.
     *
     * @throws OAuthError 429 {@code slow_down} when over the limit
     */
    public void consume(RateLimiter limiter, String sourceIp) {
        consume(limiter, sourceIp, defaultPerMinute);
    }

    /**
     * Counts one request from {@code sourceIp}.
     *
     * @param sourceIp the caller's address as the request carries it (empty → {@code unknown})
     * @param perMinute the configured budget per source IP and minute
     * @throws OAuthError 429 {@code slow_down} when over the limit
     */
    public void consume(RateLimiter limiter, String sourceIp, int perMinute) {
        RateLimitDecision decision = limiter.consume(bucket(sourceIp), RateLimit.perSeconds(perMinute, 60));
        if (!decision.allowed()) {
            throw OAuthError.slowDown(decision.headers());
        }
    }

    /** The bucket {@code ip:<sourceIp>:<name>}. */
    String bucket(String sourceIp) {
        return "ip:" + (sourceIp.isEmpty() ? "unknown" : sourceIp) + ":" + name;
    }
}
