package dev.latchkey.core.oauth;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.AuthenticateApplication;
import dev.latchkey.core.application.IssueSignInTokens;
import dev.latchkey.core.authorize.AuthorizationCode;
import dev.latchkey.core.authorize.RedeemAuthorizationCode;
import dev.latchkey.core.client.ClientAuthenticationException;
import dev.latchkey.core.client.PresentedClientCredentials;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code grant_type=authorization_code} (RFC 6749 §4.1.3, RFC 7636 §4.5, OpenID Connect Core §3.1.3), in this order:
 * <ol>
 *   <li>the application authenticates with its registered method ({@link AuthenticateApplication}: {@code none}
 *       with {@code client_id} for a public one; a secret or {@code private_key_jwt} for a confidential one) — any
 *       failure is 401 {@code invalid_client}, before the code is touched;</li>
 *   <li>{@code code} is required ({@code invalid_request}); the code is redeemed ({@link RedeemAuthorizationCode}:
 *       consumed first, then expiry ≤ 60 s, the same client, the exact {@code redirect_uri}, the PKCE S256
 *       {@code code_verifier}; a replayed code revokes what its first redemption issued) — every refusal is the
 *       same 400 {@code invalid_grant};</li>
 *   <li>the tokens ({@link IssueSignInTokens}): access token, ID token, and a refresh token when
 *       {@code offline_access} was granted ({@link RefreshTokenGrant} refreshes it).</li>
 * </ol>
 */
public final class AuthorizationCodeGrant implements GrantHandler {

    /** The grant type. */
    public static final String GRANT_TYPE = "authorization_code";

    private static final String INVALID_CODE = "The authorization code is invalid, expired or already used, or was "
            + "issued to another client, redirect URI or code verifier.";

    private final AuthenticateApplication applications;
    private final RedeemAuthorizationCode codes;
    private final IssueSignInTokens tokens;

    /**
     * @param applications authenticates the application
     * @param codes redeems the code
     * @param tokens issues the tokens
     */
    public AuthorizationCodeGrant(AuthenticateApplication applications, RedeemAuthorizationCode codes,
            IssueSignInTokens tokens) {
        this.applications = Objects.requireNonNull(applications, "applications");
        this.codes = Objects.requireNonNull(codes, "codes");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public AuthorizationCodeResponse handle(OAuthRequest request) {
        Optional<PresentedClientCredentials> presented = request.credentials();
        Application application;
        try {
            application = applications.authenticate(presented, request.form().get("client_id"), request.origin());
        } catch (ClientAuthenticationException e) {
            throw OAuthError.invalidClient(OAuthClientAuthentication.basic(presented), e.description());
        }
        String code = request.form().require("code");
        Optional<AuthorizationCode> redeemed = codes.redeem(code, application.clientId(),
                request.form().get("redirect_uri").orElse(""), request.form().get("code_verifier").orElse(""));
        if (redeemed.isEmpty()) {
            throw OAuthError.of(OAuthError.Code.INVALID_GRANT, INVALID_CODE);
        }
        IssueSignInTokens.Issued issued = tokens.issue(application, redeemed.get(), request.origin())
                .orElseThrow(() -> OAuthError.of(OAuthError.Code.INVALID_GRANT, INVALID_CODE));
        codes.issued(redeemed.get(), issued.grant());
        return AuthorizationCodeResponse.of(issued.tokens());
    }
}
