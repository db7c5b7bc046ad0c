package dev.latchkey.functions.token;

import dev.latchkey.core.access.Permissions;
import dev.latchkey.core.account.RequestOrigin;
import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.apikey.ExchangeException;
import dev.latchkey.core.apikey.ExchangedToken;
import dev.latchkey.core.client.ClientAuthenticationException;
import dev.latchkey.core.client.ClientEndpoint;
import dev.latchkey.core.client.ClientGrant;
import dev.latchkey.core.client.ClientToken;
import dev.latchkey.core.client.PresentedClientCredentials;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.http.Endpoint;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.json.Json;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.RequestedScope;
import dev.latchkey.core.session.RefreshTarget;
import dev.latchkey.core.session.SessionException;
import dev.latchkey.core.session.TokenResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth routes (API.md "token"). Bodies are {@code application/x-www-form-urlencoded} only
 * ({@link FormBody}); errors are RFC 6749 §5.2 bodies {@code {"error","error_description"}}, not the
 * standard Latchkey error body. Every response carries {@code Cache-Control: no-store} and
 * {@code Pragma: no-cache} (RFC 6749 §5.1).
 *
 * <ul>
 *   <li>{@code POST /oauth/token}: {@code grant_type=refresh_token} (RFC 6749 §6) → 200 token
 *       response, with {@code resource} (RFC 8707) or {@code audience} (both only when equal) an access token for
 *       that resource with the user's granted scopes, narrowed by {@code scope}, and {@code scope} in the response
 *       ({@code invalid_target} / {@code invalid_scope} leave the refresh token unspent);
 *       {@code urn:ietf:params:oauth:grant-type:token-exchange} with an API key (RFC 8693) → 200 access token;
 *       {@code password} → {@code unsupported_grant_type} always (SECURITY.md
 *       [10.4.4]); {@code client_credentials} (RFC 6749 §4.4) and
 *       {@code urn:ietf:params:oauth:grant-type:jwt-bearer} (RFC 7523 §2.1) → 200 with a client's own access
 *       token for one resource ({@code resource} or {@code audience}; {@code scope} narrows), no refresh token;
 *       no {@code grant_type} → {@code invalid_request}. A {@code scope} parameter
 *       on a refresh without a resource → {@code invalid_scope} (nothing to narrow). Unknown parameters are ignored
 *       (RFC 6749 §3.1). Client authentication ({@link ClientCredentialsParser}): exactly one of
 *       {@code client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt}; any failure → 401
 *       {@code invalid_client} (with {@code WWW-Authenticate: Basic realm="latchkey"} after Basic).</li>
 *   <li>{@code POST /oauth/introspect} (RFC 7662): the caller authenticates as a client (401 {@code invalid_client}
 *       otherwise); {@code token} (required), {@code token_type_hint} (ignored) → 200 {@code {"active":true,…}}
 *       for a token of the client's organization, else exactly {@code {"active":false}}.</li>
 *   <li>{@code POST /oauth/revoke} (RFC 7009): {@code token} (required), {@code token_type_hint}
 *       (ignored), client credentials when the caller has them → 200 with an empty body once the token is revoked
 *       or when there is nothing to revoke (§2.2); 401 {@code invalid_client} for failed client authentication or a
 *       token not issued to the requesting client ({@link #revoke}).</li>
 * </ul>
 * Token and revocation requests count against one limit per source IP ({@value #LIMIT_PER_MINUTE} per minute,
 * bucket {@code ip:<sourceIp>:oauth}); introspection against its own ({@value #INTROSPECT_LIMIT_PER_MINUTE} per
 * minute, bucket {@code ip:<sourceIp>:introspect}), because a resource server introspects per request it serves
 * and must not starve its own token requests. Either is checked before anything else; over it → 429
 * {@code slow_down} with {@code Retry-After} and the {@code RateLimit-*}/{@code X-RateLimit-*} headers.
 */
final class TokenEndpoints {

    /** Requests per source IP and minute on the token and revocation endpoints. */
    static final int LIMIT_PER_MINUTE = 60;

    /**
     * Introspection requests per source IP and minute. Higher than {@link #LIMIT_PER_MINUTE}: a resource server asks
     * for many tokens it receives, and every introspection first authenticates the client (secrets are 256 random
     * bits, assertions single-use), so the limit guards the store's capacity, not a guessable secret.
     */
    static final int INTROSPECT_LIMIT_PER_MINUTE = 1_200;

    static final String REFRESH_TOKEN = "refresh_token";
    static final String PASSWORD = "password";
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoints.class);
    private static final Map<String, String> NO_CACHE = Map.of("cache-control", "no-store", "pragma", "no-cache");
    private static final RateLimit LIMIT = RateLimit.perSeconds(LIMIT_PER_MINUTE, 60);
    private static final RateLimit INTROSPECT_LIMIT = RateLimit.perSeconds(INTROSPECT_LIMIT_PER_MINUTE, 60);

    private TokenEndpoints() {
    }

    static Router routes(OAuthServices services, RateLimiter limiter) {
        return Router.builder()
                .route("POST /oauth/token", oauth(limiter, "oauth", LIMIT, request -> token(request, services)))
                .route("POST /oauth/revoke", oauth(limiter, "oauth", LIMIT, request -> revoke(request, services)))
                .route("POST /oauth/introspect", oauth(limiter, "introspect", INTROSPECT_LIMIT,
                        request -> introspect(request, services)))
                .build();
    }

    private static HttpResponse token(HttpRequest request, OAuthServices services) {
        FormBody form = FormBody.parse(request);
        String grantType = form.require("grant_type");
        switch (grantType) {
            case REFRESH_TOKEN -> {
                String refreshToken = form.require(REFRESH_TOKEN);
                Optional<String> resource = resource(form);
                Optional<String> scope = form.get("scope");
                if (resource.isEmpty() && scope.isPresent()) {
                    throw OAuthException.invalidScope();
                }
                Optional<RefreshTarget> target = resource.map(audience -> new RefreshTarget(audience,
                        scope.map(RequestedScope::parse)));
                TokenResponse response;
                try {
                    response = services.refresh().refresh(refreshToken, target, request.sourceIp(),
                            request.requestId());
                } catch (SessionException e) {
                    if (e.isInvalidGrant()) {
                        throw OAuthException.invalidGrant();
                    }
                    throw e;
                }
                return json(Json.write(response));
            }
            case TOKEN_EXCHANGE -> {
                return exchange(form, request, services.exchange());
            }
            case CLIENT_CREDENTIALS -> {
                PresentedClientCredentials presented = ClientCredentialsParser.parse(request, form)
                        .orElseThrow(() -> OAuthException.invalidClient(false));
                ServiceClient client = authenticate(presented, request, services);
                return clientToken(services, client, ClientGrant.CLIENT_CREDENTIALS, form, request);
            }
            case JWT_BEARER -> {
                String assertion = form.require("assertion");
                Optional<PresentedClientCredentials> presented = ClientCredentialsParser.parse(request, form);
                Optional<ServiceClient> authenticated = presented.map(p -> authenticate(p, request, services));
                ServiceClient client;
                try {
                    client = services.clients().verifyGrant(assertion, authenticated, RequestOrigin.of(request));
                } catch (ClientAuthenticationException e) {
                    throw OAuthException.invalidAssertion(e.reason().disclosure());
                }
                return clientToken(services, client, ClientGrant.JWT_BEARER, form, request);
            }
            default -> throw OAuthException.unsupportedGrantType();
        }
    }

    /**
     * RFC 6749 §3.2.1: the client authenticates at the endpoint this request was routed to (a client assertion's
     * {@code aud} may name it); every failure is the same 401 {@code invalid_client}, whose
     * {@code error_description} names the failed rule only when that reveals nothing about the client
     * ({@link dev.latchkey.core.client.ClientAuthenticationFailure#disclosure()}).
     */
    private static ServiceClient authenticate(PresentedClientCredentials presented, HttpRequest request,
            OAuthServices services) {
        ClientEndpoint endpoint = ClientEndpoint.ofPath(request.path()).orElse(ClientEndpoint.TOKEN);
        try {
            return services.clients().authenticate(presented, RequestOrigin.of(request), endpoint);
        } catch (ClientAuthenticationException e) {
            boolean basic = presented instanceof PresentedClientCredentials.Secret secret && secret.basic();
            throw OAuthException.invalidClient(basic, e.description());
        }
    }

    /** RFC 6749 §4.4.3 / RFC 7523 §2.1: an access token, {@code token_type} Bearer, no refresh token. */
    private static HttpResponse clientToken(OAuthServices services, ServiceClient client, ClientGrant grant,
            FormBody form, HttpRequest request) {
        Optional<List<String>> scope = form.get("scope").map(RequestedScope::parse);
        ClientToken token = services.clientTokens().issue(client, grant, resource(form), scope,
                RequestOrigin.of(request));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresIn());
        if (!token.scope().isEmpty()) {
            body.put("scope", String.join(" ", token.scope()));
        }
        return json(Json.write(body));
    }

    /**
     * The requested resource: RFC 8707 {@code resource} or {@code audience} (RFC 8693); both may be sent only
     * when equal (one resource per token).
     */
    private static Optional<String> resource(FormBody form) {
        Optional<String> resource = form.get("resource");
        Optional<String> audience = form.get("audience");
        if (resource.isPresent() && audience.isPresent() && !resource.equals(audience)) {
            throw OAuthException.invalidTarget();
        }
        return resource.or(() -> audience);
    }

    /**
     * RFC 7009 §2.1: a client that sends credentials authenticates (401 {@code invalid_client} otherwise, before the
     * token is looked at); a token that was not issued to the requesting client is refused with 401
     * {@code invalid_client} too ({@link dev.latchkey.core.revocation.RevokeOAuthToken}); else §2.2's 200 with an
     * empty body, whatever the token — revoked now, or nothing to revoke.
     */
    private static HttpResponse revoke(HttpRequest request, OAuthServices services) {
        FormBody form = FormBody.parse(request);
        Optional<PresentedClientCredentials> presented = ClientCredentialsParser.parse(request, form);
        Optional<ServiceClient> client = presented.map(p -> authenticate(p, request, services));
        String token = form.require("token");
        try {
            services.revoke().revoke(token, client, RequestOrigin.of(request));
        } catch (ClientAuthenticationException e) {
            boolean basic = presented.filter(p -> p instanceof PresentedClientCredentials.Secret secret
                    && secret.basic()).isPresent();
            throw OAuthException.tokenOfAnotherClient(basic);
        }
        return new HttpResponse(200, NO_CACHE, new byte[0]);
    }

    /** RFC 7662 §2.1: the client authenticates, then gets §2.2's answer; a bad token is never an error. */
    private static HttpResponse introspect(HttpRequest request, OAuthServices services) {
        FormBody form = FormBody.parse(request);
        PresentedClientCredentials presented = ClientCredentialsParser.parse(request, form)
                .orElseThrow(() -> OAuthException.invalidClient(false));
        ServiceClient client = authenticate(presented, request, services);
        String token = form.require("token");
        return json(Json.write(services.introspect().introspect(token, client).body()));
    }

    private static HttpResponse json(byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>(NO_CACHE);
        headers.put("content-type", HttpResponse.APPLICATION_JSON);
        return new HttpResponse(200, headers, body);
    }

    /**
     * RFC 8693 §2.1 with an API key as the subject token. {@code subject_token_type} must be
     * {@value ExchangeApiKey#SUBJECT_TOKEN_TYPE}; {@code requested_token_type}, when sent, the access-token
     * type; {@code actor_token} (delegation) is refused; {@code audience} or {@code resource} (RFC 8707) names a
     * resource of the key's organization ({@code invalid_target} otherwise). {@code scope} narrows the
     * token. The answer is §2.2.1's: no refresh token.
     */
    private static HttpResponse exchange(FormBody form, HttpRequest request, ExchangeApiKey exchange) {
        String subjectToken = form.require("subject_token");
        if (!form.require("subject_token_type").equals(ExchangeApiKey.SUBJECT_TOKEN_TYPE)) {
            throw OAuthException.invalidRequest("Only subject_token_type " + ExchangeApiKey.SUBJECT_TOKEN_TYPE
                    + " is supported.");
        }
        if (form.get("requested_token_type").filter(t -> !t.equals(ExchangedToken.ACCESS_TOKEN_TYPE)).isPresent()) {
            throw OAuthException.invalidRequest("Only access tokens can be requested.");
        }
        if (form.get("actor_token").isPresent() || form.get("actor_token_type").isPresent()) {
            throw OAuthException.invalidRequest("Delegation (actor_token) is not supported.");
        }
        Optional<List<String>> scope = form.get("scope").map(TokenEndpoints::scope);
        ExchangedToken token;
        try {
            token = exchange.exchange(subjectToken, resource(form), scope, RequestOrigin.of(request));
        } catch (ExchangeException e) {
            throw OAuthException.exchangeRefused(e.oauthError(), e.getMessage());
        } catch (RateLimitedException e) {
            throw OAuthException.slowDown(e.headers());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("issued_token_type", ExchangedToken.ACCESS_TOKEN_TYPE);
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresIn());
        if (!token.scope().isEmpty()) {
            body.put("scope", String.join(" ", token.scope()));
        }
        return json(Json.write(body));
    }

    /** RFC 6749 §3.3 scope: space-delimited, case-sensitive; each must be a permission. */
    private static List<String> scope(String value) {
        List<String> scopes = new ArrayList<>();
        for (String token : value.split(" ", -1)) {
            if (!Permissions.isValid(token)) {
                throw OAuthException.exchangeRefused("invalid_scope", "The scope is malformed.");
            }
            if (!scopes.contains(token)) {
                scopes.add(token);
            }
        }
        return scopes;
    }

    /** Rate limit (bucket {@code ip:<sourceIp>:<name>}), then the endpoint; every failure as an RFC 6749 §5.2 body. */
    private static Endpoint oauth(RateLimiter limiter, String name, RateLimit limit, Endpoint endpoint) {
        return request -> {
            try {
                RateLimitDecision decision = limiter.consume(bucket(request, name), limit);
                if (!decision.allowed()) {
                    throw OAuthException.slowDown(decision.headers());
                }
                return endpoint.handle(request);
            } catch (OAuthException e) {
                return error(e);
            } catch (InvalidTargetException e) {
                return error(OAuthException.invalidTarget());
            } catch (InvalidScopeException e) {
                return error(OAuthException.scopeNotGranted());
            } catch (LatchkeyException e) {
                if (e.code().status() >= 500) {
                    LOG.warn("request {} failed: {}", request.requestId(), e.code(), e);
                    return error(e.code().status() == 503 ? OAuthException.temporarilyUnavailable()
                            : OAuthException.serverError());
                }
                LOG.warn("request {} failed with unmapped {}", request.requestId(), e.code());
                return error(OAuthException.invalidRequest("The request cannot be served."));
            }
        };
    }

    private static String bucket(HttpRequest request, String name) {
        String ip = request.sourceIp().isEmpty() ? "unknown" : request.sourceIp();
        return "ip:" + ip + ":" + name;
    }

    private static HttpResponse error(OAuthException e) {
        Map<String, String> headers = new LinkedHashMap<>(NO_CACHE);
        headers.put("content-type", HttpResponse.APPLICATION_JSON);
        headers.putAll(e.headers());
        return new HttpResponse(e.status(), headers, Json.write(e.body()));
    }
}
