package dev.latchkey.core.client;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a client's token request (RFC 6749 §4.4.3, RFC 7523 §2.1): an access token for one resource, no
 * refresh token.
 *
 * @param accessToken the signed JWT
 * @param expiresIn its lifetime in seconds
 * @param audience the resource it is for ({@code aud})
 * @param scope the scopes it carries
 */
public record ClientToken(String accessToken, long expiresIn, String audience, List<String> scope) {

    /** Copies the scope. */
    public ClientToken {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(audience, "audience");
        scope = List.copyOf(scope);
    }

    @Override
    public String toString() {
        return "ClientToken[<redacted>, expiresIn=" + expiresIn + ", audience=" + audience + ", scope=" + scope + "]";
    }
}
