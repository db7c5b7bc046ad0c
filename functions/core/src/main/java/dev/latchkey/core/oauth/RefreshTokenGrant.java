package dev.latchkey.core.oauth;

import dev.latchkey.core.access.MfaRequiredException;
import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.AuthenticateApplication;
import dev.latchkey.core.application.RefreshSignInTokens;
import dev.latchkey.core.client.ClientAuthenticationException;
import dev.latchkey.core.client.PresentedClientCredentials;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.session.RefreshSession;
import dev.latchkey.core.session.RefreshTarget;
import dev.latchkey.core.session.RefreshToken;
import dev.latchkey.core.session.SessionException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code grant_type=refresh_token} (RFC 6749 §6), dispatched by the token's kind (its prefix, no I/O):
 * <ul>
 *   <li>an <b>application's</b> token ({@code lka_…}, issued with {@code offline_access}; OpenID Connect Core §12):
 *       the application authenticates with its registered method first ({@link AuthenticateApplication}: a public
 *       one by {@code client_id} alone, OAuth 2.1 §4.3.1, as its tokens rotate; 401 {@code invalid_client}
 *       otherwise, the token untouched), then {@link RefreshSignInTokens}: the response of the code grant (a new
 *       access token, a new ID token, the rotated refresh token, {@code scope}); {@code scope} narrows
 *       ({@code invalid_scope} when it widens); every refusal of the token is {@code invalid_grant};</li>
 *   <li>a <b>sign-in session's</b> token ({@code lkr_…}, or anything else), as follows.</li>
 * </ul>
 * {@code refresh_token} (required) → {@link RefreshSession} → the
 * session's token response with the rotated refresh token. With {@code resource} (RFC 8707) or {@code audience}
 * (both only when equal) the access token is for that resource with the user's granted scopes, narrowed by
 * {@code scope}, and {@code scope} is in the response; {@code invalid_target} / {@code invalid_scope} leave the
 * refresh token unspent. A {@code scope} without a resource → {@code invalid_scope} (nothing to narrow). Every
 * refusal of the refresh token itself is the same {@code invalid_grant}.
 */
public final class RefreshTokenGrant implements GrantHandler {

    /** The grant type. */
    public static final String GRANT_TYPE = "refresh_token";

    private final RefreshSession refresh;
    private final Optional<Applications> applications;

    /** @param refresh rotates the refresh token and issues the access token */
    public RefreshTokenGrant(RefreshSession refresh) {
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.applications = Optional.empty();
    }

    /**
     * With applications' refresh tokens.
     *
     * @param refresh a sign-in session's refresh
     * @param authenticate authenticates an application
     * @param signIn an application's refresh
     */
    public RefreshTokenGrant(RefreshSession refresh, AuthenticateApplication authenticate,
            RefreshSignInTokens signIn) {
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.applications = Optional.of(new Applications(Objects.requireNonNull(authenticate, "authenticate"),
                Objects.requireNonNull(signIn, "signIn")));
    }

    private record Applications(AuthenticateApplication authenticate, RefreshSignInTokens signIn) {
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public Object handle(OAuthRequest request) {
        String refreshToken = request.form().require("refresh_token");
        if (applications.isPresent() && RefreshToken.isApplicationToken(refreshToken)) {
            return application(request, refreshToken, applications.get());
        }
        Optional<String> resource = request.resource();
        if (resource.isEmpty() && request.form().get("scope").isPresent()) {
            throw OAuthError.scopeUnchangeable();
        }
        Optional<RefreshTarget> target = resource.map(audience -> new RefreshTarget(audience, request.scope()));
        try {
            return refresh.refresh(refreshToken, target, request.sourceIp(), request.requestId());
        } catch (SessionException e) {
            if (e.isInvalidGrant()) {
                throw OAuthError.invalidGrant();
            }
            throw e;
        } catch (InvalidTargetException e) {
            throw OAuthError.invalidTarget();
        } catch (MfaRequiredException e) {
            throw OAuthError.mfaRequired(e.enrolled());
        } catch (InvalidScopeException e) {
            throw OAuthError.scopeNotGranted();
        }
    }

    private static AuthorizationCodeResponse application(OAuthRequest request, String refreshToken,
            Applications applications) {
        Optional<PresentedClientCredentials> presented = request.credentials();
        Application application;
        try {
            application = applications.authenticate().authenticate(presented, request.form().get("client_id"),
                    request.origin());
        } catch (ClientAuthenticationException e) {
            throw OAuthError.invalidClient(OAuthClientAuthentication.basic(presented), e.description());
        }
        Optional<List<String>> scope = request.scope();
        try {
            return AuthorizationCodeResponse.of(applications.signIn().refresh(application, refreshToken, scope,
                    request.origin()));
        } catch (SessionException e) {
            if (e.isInvalidGrant()) {
                throw OAuthError.invalidGrant();
            }
            throw e;
        } catch (InvalidScopeException e) {
            throw OAuthError.scopeNotGranted();
        }
    }
}
