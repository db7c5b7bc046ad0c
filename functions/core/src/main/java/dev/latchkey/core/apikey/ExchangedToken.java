package dev.latchkey.core.apikey;

import java.util.List;
import java.util.Objects;

/**
 * The RFC 8693 §2.2.1 answer of a token exchange: an access token, no refresh token.
 *
 * @param accessToken the signed JWT
 * @param expiresIn its lifetime in seconds
 * @param scope what it carries
 */
public record ExchangedToken(String accessToken, long expiresIn, List<String> scope) {

    /** RFC 8693 §3 {@code issued_token_type} of an access token. */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    /** Copies the scope. */
    public ExchangedToken {
        Objects.requireNonNull(accessToken, "accessToken");
        scope = List.copyOf(scope);
    }

    @Override
    public String toString() {
        return "ExchangedToken[<redacted>, expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
