package dev.latchkey.core.application;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a redeemed authorization code yields (OpenID Connect Core §3.1.3.3): an access token for the userinfo
 * endpoint, an ID token, and with {@code offline_access} a refresh token. {@link #toString()} never shows a token.
 *
 * @param accessToken the signed access token
 * @param expiresIn its lifetime in seconds
 * @param idToken the signed ID token
 * @param scope the granted scopes
 * @param refreshToken the application's refresh token ({@code lka_…}), with {@code offline_access} only
 */
public record SignInTokens(String accessToken, long expiresIn, String idToken, List<String> scope,
        Optional<String> refreshToken) {

    /** Checks nothing is missing. */
    public SignInTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(idToken, "idToken");
        scope = List.copyOf(scope);
        Objects.requireNonNull(refreshToken, "refreshToken");
    }

    @Override
    public String toString() {
        return "SignInTokens[<redacted>, expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
