package dev.latchkey.core.login;

import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.session.LiveAccessTokens;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.InvalidTokenException;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates the caller of a management route by its access token (RFC 6750, RFC 9068): every route that
 * accepts a user's access token — {@code /v1/users/me…}, passkey registration and management, and through
 * {@link dev.latchkey.core.login.CallerAuthentication} every organization, API-key, client and resource route. In
 * order:
 * <ol>
 *   <li>the token verifies ({@link AccessTokenVerifier}: signature, {@code typ}, {@code iss}, {@code aud},
 *       times);</li>
 *   <li>it is a <b>management token</b> ({@link AccessTokenClaims#isManagement()}): {@code aud} is exactly one
 *       value, the issuer, and it carries {@code token_use} = {@value AccessTokenClaims#MANAGEMENT}, which only a
 *       session's own token gets — a token for a resource never does, even if that resource's audience were the
 *       issuer (docs/security.md "Management tokens");</li>
 *   <li>it is a user's session token: {@code sub} a {@code usr_…} id and a {@code sid};</li>
 *   <li>it is live ({@link LiveAccessTokens}): not revoked, and its session exists, is the subject's and usable
 *       now — one strongly consistent DynamoDB request. So a logout, ended session, password change or reset stops
 *       the session's access tokens on their next request (SECURITY.md [7.4.1]).</li>
 * </ol>
 * Every failure is 401 {@code invalid_token} with {@code WWW-Authenticate: Bearer error="invalid_token"}.
 */
public final class BearerAuthentication {

    private final AccessTokenVerifier verifier;
    private final LiveAccessTokens live;

    /**
     * @param verifier checks signature, issuer, audience (the issuer), type and times
     * @param live the session and deny-list check
     */
    public BearerAuthentication(AccessTokenVerifier verifier, LiveAccessTokens live) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.live = Objects.requireNonNull(live, "live");
    }

    /**
     * The caller.
     *
     * @param bearerToken the token from {@code Authorization: Bearer …}; empty when the header is absent
     *     or of another scheme
     * @throws LoginException 401 {@link LoginException#bearerTokenMissing()} for no token
     * @throws InvalidTokenException 401 {@code invalid_token} for any token that does not verify, is not a
     *     management token of a user's session, or whose session has ended or which was revoked
     * @throws dev.latchkey.core.store.StoreUnavailableException when the liveness read fails (fail closed: 503)
     */
    public AuthenticatedUser authenticate(Optional<String> bearerToken) {
        if (bearerToken.isEmpty() || bearerToken.get().isBlank()) {
            throw LoginException.bearerTokenMissing();
        }
        AccessTokenClaims claims = verifier.verify(bearerToken.get()).claims();
        if (!claims.isManagement()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.NOT_FOR_MANAGEMENT);
        }
        if (!claims.subject().startsWith("usr_") || claims.sessionId().isEmpty()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.INVALID_CLAIM);
        }
        live.require(claims);
        return new AuthenticatedUser(claims.subject(), claims.sessionId().get(), claims.amr(), claims.authTime());
    }
}
