package dev.latchkey.core.metadata;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.IssueSignInTokens;
import dev.latchkey.core.application.UserClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The OpenID Provider configuration (OpenID Connect Discovery 1.0 §3), served at
 * {@code /.well-known/openid-configuration}: every member of the RFC 8414 document
 * ({@link AuthorizationServerMetadata}) with the same value (Discovery §3 and RFC 8414 §2 share their names),
 * plus the OpenID ones:
 * {@code userinfo_endpoint} ({@code /oauth/userinfo}, GET and POST), {@code end_session_endpoint}
 * ({@code /oauth/logout}, RP-Initiated Logout §2.1), {@code scopes_supported} (the OpenID scopes an application may
 * be allowed), {@code subject_types_supported} {@code ["public"]} (a user's {@code sub} is their {@code usr_…} id for
 * every application), {@code id_token_signing_alg_values_supported} {@code ["RS256", "ES256"]} (RS256 first: §15.1
 * requires it), {@code claims_supported}, {@code acr_values_supported}, {@code response_modes_supported}
 * {@code ["query"]}, {@code prompt_values_supported} ({@code none login consent create}, Initiating User
 * Registration §4.1), and {@code request_uri_parameter_supported} {@code false} (Discovery §3 defaults it to
 * {@code true}; Latchkey accepts no request objects).
 *
 * @param issuer {@code issuer}
 * @param authorizationEndpoint {@code authorization_endpoint}
 * @param tokenEndpoint {@code token_endpoint}
 * @param userinfoEndpoint {@code userinfo_endpoint}
 * @param jwksUri {@code jwks_uri}
 * @param endSessionEndpoint {@code end_session_endpoint}
 * @param scopesSupported {@code scopes_supported}
 * @param responseTypesSupported {@code response_types_supported}
 * @param responseModesSupported {@code response_modes_supported}
 * @param grantTypesSupported {@code grant_types_supported}
 * @param acrValuesSupported {@code acr_values_supported}
 * @param subjectTypesSupported {@code subject_types_supported}
 * @param idTokenSigningAlgValuesSupported {@code id_token_signing_alg_values_supported}
 * @param tokenEndpointAuthMethodsSupported {@code token_endpoint_auth_methods_supported}
 * @param tokenEndpointAuthSigningAlgValuesSupported {@code token_endpoint_auth_signing_alg_values_supported}
 * @param claimsSupported {@code claims_supported}
 * @param codeChallengeMethodsSupported {@code code_challenge_methods_supported}
 * @param promptValuesSupported {@code prompt_values_supported}
 * @param requestUriParameterSupported {@code request_uri_parameter_supported}
 * @param authorizationResponseIssParameterSupported {@code authorization_response_iss_parameter_supported}
 * @param revocationEndpoint {@code revocation_endpoint}
 * @param revocationEndpointAuthMethodsSupported {@code revocation_endpoint_auth_methods_supported}
 * @param revocationEndpointAuthSigningAlgValuesSupported {@code revocation_endpoint_auth_signing_alg_values_supported}
 * @param introspectionEndpoint {@code introspection_endpoint}
 * @param introspectionEndpointAuthMethodsSupported {@code introspection_endpoint_auth_methods_supported}
 * @param introspectionEndpointAuthSigningAlgValuesSupported
 *     {@code introspection_endpoint_auth_signing_alg_values_supported}
 */
public record OpenIdProviderMetadata(
        String issuer,
        String authorizationEndpoint,
        String tokenEndpoint,
        String userinfoEndpoint,
        String jwksUri,
        String endSessionEndpoint,
        List<String> scopesSupported,
        List<String> responseTypesSupported,
        List<String> responseModesSupported,
        List<String> grantTypesSupported,
        List<String> acrValuesSupported,
        List<String> subjectTypesSupported,
        List<String> idTokenSigningAlgValuesSupported,
        List<String> tokenEndpointAuthMethodsSupported,
        List<String> tokenEndpointAuthSigningAlgValuesSupported,
        List<String> claimsSupported,
        List<String> codeChallengeMethodsSupported,
        List<String> promptValuesSupported,
        boolean requestUriParameterSupported,
        boolean authorizationResponseIssParameterSupported,
        String revocationEndpoint,
        List<String> revocationEndpointAuthMethodsSupported,
        List<String> revocationEndpointAuthSigningAlgValuesSupported,
        String introspectionEndpoint,
        List<String> introspectionEndpointAuthMethodsSupported,
        List<String> introspectionEndpointAuthSigningAlgValuesSupported) {

    /** The path of the userinfo endpoint (OIDC Core §5.3). */
    public static final String USERINFO_PATH = "/oauth/userinfo";
    /** The path of the end-session endpoint (RP-Initiated Logout §2), served by the sign-in function. */
    public static final String END_SESSION_PATH = "/oauth/logout";
    /** The claims an ID token or userinfo response may carry. */
    public static final List<String> CLAIMS = Stream.concat(Stream.of("iss", "aud", "exp", "iat", "auth_time",
            "nonce", "acr", "amr", "azp", "sid", "at_hash"), UserClaims.SUPPORTED.stream()).toList();

    /** Copies the lists. */
    public OpenIdProviderMetadata {
        Objects.requireNonNull(issuer, "issuer");
        scopesSupported = List.copyOf(scopesSupported);
        responseTypesSupported = List.copyOf(responseTypesSupported);
        responseModesSupported = List.copyOf(responseModesSupported);
        grantTypesSupported = List.copyOf(grantTypesSupported);
        acrValuesSupported = List.copyOf(acrValuesSupported);
        subjectTypesSupported = List.copyOf(subjectTypesSupported);
        idTokenSigningAlgValuesSupported = List.copyOf(idTokenSigningAlgValuesSupported);
        tokenEndpointAuthMethodsSupported = List.copyOf(tokenEndpointAuthMethodsSupported);
        tokenEndpointAuthSigningAlgValuesSupported = List.copyOf(tokenEndpointAuthSigningAlgValuesSupported);
        claimsSupported = List.copyOf(claimsSupported);
        codeChallengeMethodsSupported = List.copyOf(codeChallengeMethodsSupported);
        promptValuesSupported = List.copyOf(promptValuesSupported);
        revocationEndpointAuthMethodsSupported = List.copyOf(revocationEndpointAuthMethodsSupported);
        revocationEndpointAuthSigningAlgValuesSupported = List.copyOf(revocationEndpointAuthSigningAlgValuesSupported);
        introspectionEndpointAuthMethodsSupported = List.copyOf(introspectionEndpointAuthMethodsSupported);
        introspectionEndpointAuthSigningAlgValuesSupported =
                List.copyOf(introspectionEndpointAuthSigningAlgValuesSupported);
    }

    /**
     * The document for an issuer: the RFC 8414 document's members, and the OpenID ones.
     *
     * @param issuer the issuer URL, no trailing slash ({@code LATCHKEY_ISSUER})
     */
    public static OpenIdProviderMetadata of(String issuer) {
        AuthorizationServerMetadata oauth = AuthorizationServerMetadata.of(issuer);
        List<String> scopes = new ArrayList<>(List.of(Application.OPENID, "profile", "email",
                Application.OFFLINE_ACCESS));
        return new OpenIdProviderMetadata(issuer, oauth.authorizationEndpoint(), oauth.tokenEndpoint(),
                issuer + USERINFO_PATH, oauth.jwksUri(), issuer + END_SESSION_PATH, scopes,
                oauth.responseTypesSupported(), List.of("query"), oauth.grantTypesSupported(),
                List.of(IssueSignInTokens.ACR_MFA, IssueSignInTokens.ACR_SINGLE), List.of("public"),
                List.of("RS256", "ES256"), oauth.tokenEndpointAuthMethodsSupported(),
                oauth.tokenEndpointAuthSigningAlgValuesSupported(), CLAIMS, oauth.codeChallengeMethodsSupported(),
                List.of("none", "login", "consent", "create"), false,
                oauth.authorizationResponseIssParameterSupported(), oauth.revocationEndpoint(),
                oauth.revocationEndpointAuthMethodsSupported(), oauth.revocationEndpointAuthSigningAlgValuesSupported(),
                oauth.introspectionEndpoint(), oauth.introspectionEndpointAuthMethodsSupported(),
                oauth.introspectionEndpointAuthSigningAlgValuesSupported());
    }
}
