package dev.latchkey.core.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A token response without a refresh token (RFC 6749 §5.1, RFC 6749 §4.4.3, RFC 7523 §2.1, RFC 8693 §2.2.1),
 * serialized in this order: {@code access_token}, {@code issued_token_type} (token exchange only),
 * {@code token_type} {@code Bearer}, {@code expires_in}, {@code scope} (only when it carries at least one).
 *
 * @param accessToken the signed access token
 * @param issuedTokenType RFC 8693 §2.2.1's {@code issued_token_type}, for a token exchange
 * @param tokenType always {@code Bearer}
 * @param expiresIn its lifetime in seconds
 * @param scope its scopes, space-separated, when there is at least one
 */
public record AccessTokenResponse(String accessToken,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> issuedTokenType, String tokenType,
        long expiresIn, @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> scope) {

    /** The only token type Latchkey issues (RFC 6750). */
    public static final String BEARER = "Bearer";

    /** Checks nothing is missing. */
    public AccessTokenResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(issuedTokenType, "issuedTokenType");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(scope, "scope");
    }

    /** A Bearer token; {@code scope} omitted when empty. */
    public static AccessTokenResponse bearer(String accessToken, Optional<String> issuedTokenType, long expiresIn,
            List<String> scope) {
        return new AccessTokenResponse(accessToken, issuedTokenType, BEARER, expiresIn,
                scope.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", scope)));
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "AccessTokenResponse[<redacted>, expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
