package dev.latchkey.core.login;

import dev.latchkey.core.access.ApiKeyAuthenticator;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.RequestOrigin;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who calls an organization route (API.md: routes marked "(key)"): a user by {@code Authorization:
 * Bearer <access token>}, or an API key by {@code X-API-Key: lk_…} or {@code Authorization: Bearer lk_…}.
 *
 * <p>Credentials are never taken from a query string (SECURITY.md [14.2.1]): a request with a query
 * parameter named like a credential, or any query value that looks like a Latchkey key, is refused with
 * 400 before anything else, so the key is not used even once from a URL that ends up in logs. Two
 * credentials at once (both headers) are refused too, rather than guessing which one counts.
 */
public final class CallerAuthentication {

    private static final Set<String> CREDENTIAL_PARAMETERS = Set.of("api_key", "apikey", "key", "access_token",
            "token", "x-api-key");

    private final BearerAuthentication bearer;
    private final ApiKeyAuthenticator apiKeys;

    /**
     * @param bearer checks access tokens
     * @param apiKeys checks API keys
     */
    public CallerAuthentication(BearerAuthentication bearer, ApiKeyAuthenticator apiKeys) {
        this.bearer = Objects.requireNonNull(bearer, "bearer");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
    }

    /**
     * The caller of the request.
     *
     * @throws AccessException 400 for a credential in the query string or two credentials; 401 for none or an
     *     invalid key
     * @throws dev.latchkey.core.token.InvalidTokenException 401 for an access token that does not verify
     * @throws dev.latchkey.core.ratelimit.RateLimitedException 429 for a key over its limit
     */
    public Caller authenticate(HttpRequest request) {
        refuseQueryCredentials(request.query());
        Optional<String> apiKeyHeader = request.headers().first("x-api-key").map(String::strip);
        Optional<String> authorization = request.headers().first("authorization");
        if (apiKeyHeader.isPresent() && authorization.isPresent()) {
            throw AccessException.invalid("authorization", "TWO_CREDENTIALS",
                    "Send either X-API-Key or Authorization, not both.");
        }
        if (apiKeyHeader.isPresent()) {
            return apiKeys.authenticate(apiKeyHeader.get(), RequestOrigin.of(request).sourceIp());
        }
        Optional<String> token = request.bearerToken();
        if (token.isEmpty()) {
            throw AccessException.authenticationFailed();
        }
        if (token.get().startsWith("lk_")) {
            return apiKeys.authenticate(token.get(), RequestOrigin.of(request).sourceIp());
        }
        AuthenticatedUser user = bearer.authenticate(token);
        return Caller.User.of(user);
    }

    private static void refuseQueryCredentials(Map<String, List<String>> query) {
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            boolean named = CREDENTIAL_PARAMETERS.contains(parameter.getKey().toLowerCase(Locale.ROOT));
            boolean shaped = parameter.getValue().stream().anyMatch(v -> v != null && v.startsWith("lk_"));
            if (named || shaped) {
                throw AccessException.invalid("query", "CREDENTIAL_IN_QUERY",
                        "Credentials are never accepted in a query string; use a header.");
            }
        }
    }
}
