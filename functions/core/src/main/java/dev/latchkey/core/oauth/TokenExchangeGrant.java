package dev.latchkey.core.oauth;

import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.apikey.ExchangeException;
import dev.latchkey.core.apikey.ExchangedToken;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.RequestedScope;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange} (RFC 8693 §2.1) with an API key as the subject
 * token: {@code subject_token_type} must be {@value ExchangeApiKey#SUBJECT_TOKEN_TYPE}; {@code requested_token_type},
 * when sent, the access-token type; {@code actor_token} (delegation) is refused; {@code audience} or
 * {@code resource} (RFC 8707) names a resource of the key's organization ({@code invalid_target} otherwise);
 * {@code scope} (each a permission) narrows the token. → {@link ExchangeApiKey} → §2.2.1's answer: no refresh
 * token. A key over its own rate limit → 429 {@code slow_down}.
 */
public final class TokenExchangeGrant implements GrantHandler {

    /** The grant type (RFC 8693 §2.1). */
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";

    private final ExchangeApiKey exchange;

    /** @param exchange trades the API key for an access token */
    public TokenExchangeGrant(ExchangeApiKey exchange) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public AccessTokenResponse handle(OAuthRequest request) {
        OAuthForm form = request.form();
        String subjectToken = form.require("subject_token");
        if (!form.require("subject_token_type").equals(ExchangeApiKey.SUBJECT_TOKEN_TYPE)) {
            throw OAuthError.invalidRequest("Only subject_token_type " + ExchangeApiKey.SUBJECT_TOKEN_TYPE
                    + " is supported.");
        }
        if (form.get("requested_token_type").filter(t -> !t.equals(ExchangedToken.ACCESS_TOKEN_TYPE)).isPresent()) {
            throw OAuthError.invalidRequest("Only access tokens can be requested.");
        }
        if (form.get("actor_token").isPresent() || form.get("actor_token_type").isPresent()) {
            throw OAuthError.invalidRequest("Delegation (actor_token) is not supported.");
        }
        Optional<List<String>> scope = form.get("scope").map(TokenExchangeGrant::permissions);
        ExchangedToken token;
        try {
            token = exchange.exchange(subjectToken, request.resource(), scope, request.origin());
        } catch (ExchangeException e) {
            throw OAuthError.of(code(e.reason()), e.getMessage());
        } catch (RateLimitedException e) {
            throw OAuthError.slowDown(e.headers());
        }
        return AccessTokenResponse.bearer(token.accessToken(), Optional.of(ExchangedToken.ACCESS_TOKEN_TYPE),
                token.expiresIn(), token.scope());
    }

    /**
     * The scope by the one parser (RFC 6749 §3.3, {@link RequestedScope#parse}); each token must also be a
     * permission, since an API key's scopes are its permissions.
     */
    private static List<String> permissions(String value) {
        List<String> scopes;
        try {
            scopes = RequestedScope.parse(value);
        } catch (InvalidScopeException e) {
            throw malformedScope();
        }
        if (!scopes.stream().allMatch(Permissions::isValid)) {
            throw malformedScope();
        }
        return scopes;
    }

    /** RFC 8693 §2.2.2: each refusal's one error code. */
    private static OAuthError.Code code(ExchangeException.Reason reason) {
        return switch (reason) {
            case INVALID_SUBJECT_TOKEN -> OAuthError.Code.INVALID_REQUEST;
            case INVALID_SCOPE -> OAuthError.Code.INVALID_SCOPE;
            case INVALID_TARGET -> OAuthError.Code.INVALID_TARGET;
        };
    }

    private static OAuthError malformedScope() {
        return OAuthError.of(OAuthError.Code.INVALID_SCOPE, "The scope is malformed.");
    }
}
