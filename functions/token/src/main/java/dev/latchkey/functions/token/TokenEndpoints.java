package dev.latchkey.functions.token;

import dev.latchkey.core.config.Limits;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.http.Endpoint;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.oauth.BearerError;
import dev.latchkey.core.oauth.OAuthError;
import dev.latchkey.core.oauth.OAuthProtocol;
import dev.latchkey.core.oauth.OAuthRateLimit;
import dev.latchkey.core.oauth.OAuthRequest;
import dev.latchkey.core.oauth.RefusalBudget;
import dev.latchkey.core.oauth.UserInfo;
import dev.latchkey.core.ratelimit.RateLimiter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth routes (API.md "token") as a thin HTTP adapter over core's {@link OAuthProtocol}: rate limit
 * ({@link OAuthRateLimit}; at {@code /oauth/token} a budget of refused requests, {@link RefusalBudget}, so that an
 * issued token writes no counter) → {@link OAuthRequest#of} (the strict form body) → the endpoint's protocol method → a
 * 200 JSON body (an empty body for revocation), or an {@link OAuthError} mapped to its status, headers and RFC 6749
 * §5.2 body {@code {"error","error_description"}} (not the standard Latchkey error body). Every response carries
 * {@code Cache-Control: no-store} and {@code Pragma: no-cache} (RFC 6749 §5.1). The rules themselves — grants,
 * client authentication, token exchange, scopes — live in {@code dev.latchkey.core.oauth}.
 */
final class TokenEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoints.class);
    private static final Map<String, String> NO_CACHE = Map.of("cache-control", "no-store", "pragma", "no-cache");

    private TokenEndpoints() {
    }

    static Router routes(OAuthProtocol oauth, RateLimiter limiter) {
        return routes(oauth, limiter, Limits.defaults());
    }

    /**
     * The token, revocation and introspection routes with the configured per-IP budgets
     * ({@code LATCHKEY_OAUTH_TOKEN_PER_MINUTE}, …): the OAuth routes alone, for tests of them.
     */
    static Router routes(OAuthProtocol oauth, RateLimiter limiter, Limits limits) {
        return routes(oauth, limiter, limits, Clock.systemUTC());
    }

    /** The OAuth routes with the configured per-IP budgets, on {@code clock}'s windows. */
    static Router routes(OAuthProtocol oauth, RateLimiter limiter, Limits limits, Clock clock) {
        return oauthRoutes(oauth, limiter, limits, clock).build();
    }

    /**
     * Every route of the function: the OAuth routes and {@code GET/POST /oauth/userinfo} (OIDC Core §5.3), whose
     * refusals are RFC 6750 §3 answers ({@link BearerError}) and which shares the introspection budget per IP.
     */
    static Router routes(OAuthProtocol oauth, UserInfo userInfo, RateLimiter limiter, Limits limits, Clock clock) {
        int introspect = OAuthRateLimit.INTROSPECT.perMinute(limits);
        Endpoint userinfo = request -> {
            try {
                OAuthRateLimit.INTROSPECT.consume(limiter, request.sourceIp(), introspect);
                return json(userInfo.handle(request));
            } catch (OAuthError e) {
                return error(e);
            } catch (BearerError e) {
                Map<String, String> headers = new LinkedHashMap<>(NO_CACHE);
                headers.put("content-type", HttpResponse.APPLICATION_JSON);
                headers.putAll(e.headers());
                return new HttpResponse(e.status(), headers, Json.write(e.body()));
            } catch (LatchkeyException e) {
                return error(unexpected(request, e));
            }
        };
        return oauthRoutes(oauth, limiter, limits, clock)
                .route("GET /oauth/userinfo", userinfo)
                .route("POST /oauth/userinfo", userinfo)
                .build();
    }

    private static Router.Builder oauthRoutes(OAuthProtocol oauth, RateLimiter limiter, Limits limits, Clock clock) {
        int token = OAuthRateLimit.TOKEN.perMinute(limits);
        int introspect = OAuthRateLimit.INTROSPECT.perMinute(limits);
        RefusalBudget refusals = new RefusalBudget(limiter, token, clock);
        return Router.builder()
                .route("POST /oauth/token", tokenEndpoint(refusals, r -> json(oauth.token(r))))
                .route("POST /oauth/revoke", endpoint(limiter, OAuthRateLimit.TOKEN, token, r -> {
                    oauth.revoke(r);
                    return new HttpResponse(200, NO_CACHE, new byte[0]);
                }))
                .route("POST /oauth/introspect", endpoint(limiter, OAuthRateLimit.INTROSPECT, introspect,
                        r -> json(oauth.introspect(r))));
    }

    /**
     * {@code /oauth/token}: an address over its budget of refusals → 429 at once; else the endpoint, and a refusal
     * (4xx) is counted ({@link RefusalBudget}); every failure as an RFC 6749 §5.2 body.
     */
    private static Endpoint tokenEndpoint(RefusalBudget refusals, Function<OAuthRequest, HttpResponse> endpoint) {
        return request -> {
            try {
                refusals.check(request.sourceIp());
                OAuthError refusal;
                try {
                    return endpoint.apply(OAuthRequest.of(request));
                } catch (OAuthError e) {
                    refusal = e;
                } catch (LatchkeyException e) {
                    refusal = unexpected(request, e);
                }
                return error(RefusalBudget.counts(refusal) ? refusals.refused(request.sourceIp(), refusal) : refusal);
            } catch (OAuthError e) {
                return error(e);
            } catch (LatchkeyException e) {
                return error(unexpected(request, e));
            }
        };
    }

    /** Rate limit, then the endpoint; every failure as an RFC 6749 §5.2 body. */
    private static Endpoint endpoint(RateLimiter limiter, OAuthRateLimit limit, int perMinute,
            Function<OAuthRequest, HttpResponse> endpoint) {
        return request -> {
            try {
                limit.consume(limiter, request.sourceIp(), perMinute);
                return endpoint.apply(OAuthRequest.of(request));
            } catch (OAuthError e) {
                return error(e);
            } catch (LatchkeyException e) {
                return error(unexpected(request, e));
            }
        };
    }

    private static OAuthError unexpected(HttpRequest request, LatchkeyException e) {
        if (e.code().status() >= 500) {
            LOG.warn("request {} failed: {}", request.requestId(), e.code(), e);
        } else {
            LOG.warn("request {} failed with unmapped {}", request.requestId(), e.code());
        }
        return OAuthError.unexpected(e);
    }

    private static HttpResponse json(Object body) {
        Map<String, String> headers = new LinkedHashMap<>(NO_CACHE);
        headers.put("content-type", HttpResponse.APPLICATION_JSON);
        return new HttpResponse(200, headers, Json.write(body));
    }

    private static HttpResponse error(OAuthError e) {
        Map<String, String> headers = new LinkedHashMap<>(NO_CACHE);
        headers.put("content-type", HttpResponse.APPLICATION_JSON);
        headers.putAll(e.headers());
        return new HttpResponse(e.status(), headers, Json.write(e.body()));
    }
}
