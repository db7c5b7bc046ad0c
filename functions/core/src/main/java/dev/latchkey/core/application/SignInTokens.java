package dev.latchkey.core.application;

import java.util.List;
import java.util.Objects;

/**
 * What a redeemed authorization code yields (OpenID Connect Core §3.1.3.3): an access token for the userinfo
 * endpoint and an ID token. {@link #toString()} never shows a token.
 *
 * @param accessToken the signed access token
 * @param expiresIn its lifetime in seconds
 * @param idToken the signed ID token
 * @param scope the granted scopes
 */
public record SignInTokens(String accessToken, long expiresIn, String idToken, List<String> scope) {

    /** Checks nothing is missing. */
    public SignInTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(idToken, "idToken");
        scope = List.copyOf(scope);
    }

    @Override
    public String toString() {
        return "SignInTokens[<redacted>, expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
