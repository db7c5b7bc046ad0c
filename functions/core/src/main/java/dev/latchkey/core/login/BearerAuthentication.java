package dev.latchkey.core.login;

import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.InvalidTokenException;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates the caller of a {@code /v1/users/me…} route by its access token (RFC 6750, RFC 9068).
 * Only a user's session token is accepted: {@code sub} a {@code usr_…} id and a {@code sid} present (an
 * API-key token has neither).
 *
 * <p><b>Revocation lag.</b> The check is stateless: a token of a session that was ended (logout, password
 * change or reset) keeps working until it expires — at most the access-token lifetime, 15 minutes by
 * default (SECURITY.md "Tokens and JWKS", [7.4.1]). Refresh tokens stop at once.
 */
public final class BearerAuthentication {

    private final AccessTokenVerifier verifier;

    /** @param verifier checks signature, issuer, audience, type and times */
    public BearerAuthentication(AccessTokenVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * The caller.
     *
     * @param bearerToken the token from {@code Authorization: Bearer …}; empty when the header is absent
     *     or of another scheme
     * @throws LoginException 401 {@link LoginException#bearerTokenMissing()} for no token
     * @throws InvalidTokenException 401 {@code invalid_token} for any token that does not verify, or is not a
     *     user's session token
     */
    public AuthenticatedUser authenticate(Optional<String> bearerToken) {
        if (bearerToken.isEmpty() || bearerToken.get().isBlank()) {
            throw LoginException.bearerTokenMissing();
        }
        AccessTokenClaims claims = verifier.verify(bearerToken.get()).claims();
        if (!claims.subject().startsWith("usr_") || claims.sessionId().isEmpty()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.INVALID_CLAIM);
        }
        return new AuthenticatedUser(claims.subject(), claims.sessionId().get());
    }
}
