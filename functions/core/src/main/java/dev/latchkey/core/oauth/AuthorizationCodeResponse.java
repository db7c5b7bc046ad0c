package dev.latchkey.core.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.Optional;

/**
 * The token response of the authorization code grant (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3), serialized in
 * this order: {@code access_token}, {@code token_type} {@code Bearer}, {@code expires_in}, {@code scope} (when it
 * carries at least one), {@code id_token}, {@code refresh_token} (with {@code offline_access} only). The refresh grant
 * of an application answers the same shape (OpenID Connect Core §12.2).
 *
 * @param accessToken the access token
 * @param tokenType always {@code Bearer}
 * @param expiresIn its lifetime in seconds
 * @param scope the granted scopes, space-separated
 * @param idToken the ID token
 * @param refreshToken the application's refresh token, with {@code offline_access} only
 */
public record AuthorizationCodeResponse(String accessToken, String tokenType, long expiresIn,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> scope, String idToken,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> refreshToken) {

    /** Checks nothing is missing. */
    public AuthorizationCodeResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(idToken, "idToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
    }

    /** The response around an application's tokens. */
    static AuthorizationCodeResponse of(dev.latchkey.core.application.SignInTokens tokens) {
        return new AuthorizationCodeResponse(tokens.accessToken(), "Bearer", tokens.expiresIn(),
                tokens.scope().isEmpty() ? Optional.empty() : Optional.of(String.join(" ", tokens.scope())),
                tokens.idToken(), tokens.refreshToken());
    }

    /** Never prints a token. */
    @Override
    public String toString() {
        return "AuthorizationCodeResponse[<redacted>, expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
