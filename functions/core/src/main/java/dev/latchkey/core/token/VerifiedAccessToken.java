package dev.latchkey.core.token;

import java.util.Objects;

/**
 * An access token that passed {@link AccessTokenVerifier#verify}.
 *
 * @param kid the key that signed it
 * @param claims its claims
 */
public record VerifiedAccessToken(String kid, AccessTokenClaims claims) {

    /** Checks that both parts are present. */
    public VerifiedAccessToken {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(claims, "claims");
    }

    /** Whether the token was granted this scope token. */
    public boolean hasScope(String scope) {
        return claims.scope().contains(scope);
    }
}
