package dev.latchkey.core.oauth;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.UserClaims;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.session.LiveAccessTokens;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.InvalidTokenException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The userinfo endpoint (OpenID Connect Core §5.3), {@code GET} and {@code POST /oauth/userinfo}:
 * <ol>
 *   <li>the access token from {@code Authorization: Bearer} (RFC 6750 §2.1) or, on POST, the form body's
 *       {@code access_token} (§2.2) — both at once is {@code invalid_request}, none is the bare 401 challenge;</li>
 *   <li>verified as an access token whose {@code aud} is this endpoint
 *       ({@link dev.latchkey.core.application.IssueSignInTokens#userinfoAudience}: the tokens of the authorization
 *       code grant), still live ({@link LiveAccessTokens}: not revoked, its sign-in session not ended) — else
 *       {@code invalid_token};</li>
 *   <li>with the {@code openid} scope (§5.3.1) — else 403 {@code insufficient_scope};</li>
 *   <li>the user, who must still exist and be enabled ({@code invalid_token} otherwise), answers {@code sub} and the
 *       claims the token's scopes release ({@link UserClaims}).</li>
 * </ol>
 */
public final class UserInfo {

    private final Supplier<AccessTokenVerifier> verifier;
    private final LiveAccessTokens live;
    private final UserRepository users;

    /**
     * @param verifier verifies tokens for the userinfo audience (built on first use: it needs the issuer)
     * @param live the liveness check
     * @param users the users
     */
    public UserInfo(Supplier<AccessTokenVerifier> verifier, LiveAccessTokens live, UserRepository users) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.live = Objects.requireNonNull(live, "live");
        this.users = Objects.requireNonNull(users, "users");
    }

    /**
     * The userinfo response (§5.3.2) for a request.
     *
     * @throws BearerError for every refusal (RFC 6750 §3)
     */
    public Map<String, Object> handle(HttpRequest request) {
        String token = token(request);
        AccessTokenClaims claims;
        try {
            claims = verifier.get().verify(token).claims();
        } catch (InvalidTokenException e) {
            throw BearerError.invalidToken();
        }
        if (!live.isLive(claims)) {
            throw BearerError.invalidToken();
        }
        if (!claims.scope().contains(Application.OPENID)) {
            throw BearerError.insufficientScope(Application.OPENID);
        }
        User user = users.findById(claims.subject()).filter(u -> !u.disabled())
                .orElseThrow(BearerError::invalidToken);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", user.id());
        body.putAll(UserClaims.of(user, claims.scope()));
        return body;
    }

    private static String token(HttpRequest request) {
        Optional<String> header = request.bearerToken();
        Optional<String> form = Optional.empty();
        if ("POST".equals(request.method()) && request.bodyLength() > 0) {
            try {
                form = OAuthForm.parse(request.headers().first("content-type").orElse(""), request.body())
                        .get("access_token");
            } catch (OAuthError e) {
                throw BearerError.invalidRequest("The body must be application/x-www-form-urlencoded.");
            }
        }
        if (header.isPresent() && form.isPresent()) {
            throw BearerError.invalidRequest("Send the access token once (RFC 6750 §2).");
        }
        if (header.isEmpty() && request.headers().first("authorization").isPresent()) {
            throw BearerError.invalidToken();
        }
        Optional<String> fromBody = form;
        return header.or(() -> fromBody).filter(t -> !t.isEmpty()).orElseThrow(BearerError::missingToken);
    }
}
