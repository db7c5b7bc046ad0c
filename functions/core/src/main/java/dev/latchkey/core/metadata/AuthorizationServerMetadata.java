package dev.latchkey.core.metadata;

import dev.latchkey.core.client.ClientAssertions;
import dev.latchkey.core.client.ClientEndpoint;
import java.util.List;
import java.util.Objects;

/**
 * The OAuth 2.0 authorization server metadata document (RFC 8414 §2), served at
 * {@code /.well-known/oauth-authorization-server}; the OpenID Provider document ({@link OpenIdProviderMetadata})
 * repeats every member with the same value. Only registered metadata names (IANA "OAuth Authorization Server
 * Metadata"), no empty list, and only what the endpoints accept:
 * <ul>
 *   <li>{@code authorization_endpoint} ({@code /oauth/authorize}, the sign-in function) and
 *       {@code response_types_supported} {@code ["code"]}: the authorization code flow only (OAuth 2.1: no
 *       implicit, no hybrid); {@code code_challenge_methods_supported} {@code ["S256"]} (PKCE required for every
 *       client, never {@code plain}); {@code authorization_response_iss_parameter_supported} (RFC 9207 §3);</li>
 *   <li>{@code grant_types_supported}: {@code authorization_code}, {@code refresh_token},
 *       {@code client_credentials}, the jwt-bearer grant (RFC 7523 §2.1) and token exchange (RFC 8693) — never
 *       {@code implicit} or {@code password};</li>
 *   <li>each endpoint's {@code *_auth_methods_supported}: the token endpoint also {@code none} (public
 *       applications, the refresh grant and the API-key exchange take no client authentication), introspection only
 *       the three client methods (RFC 7662 §2.1: the caller must authenticate), revocation {@code none} and the
 *       three (RFC 7009 §2.1: a client authenticates when it has credentials);
 *       {@code *_auth_signing_alg_values_supported}: the algorithms {@link ClientAssertions} accepts for
 *       {@code private_key_jwt};</li>
 *   <li>no {@code scopes_supported} here: resource scopes are defined per resource by each organization, there is
 *       no global list worth advertising (the OpenID document lists the OpenID scopes).</li>
 * </ul>
 *
 * @param issuer {@code issuer}
 * @param authorizationEndpoint {@code authorization_endpoint}
 * @param jwksUri {@code jwks_uri}
 * @param tokenEndpoint {@code token_endpoint}
 * @param tokenEndpointAuthMethodsSupported {@code token_endpoint_auth_methods_supported}
 * @param tokenEndpointAuthSigningAlgValuesSupported {@code token_endpoint_auth_signing_alg_values_supported}
 * @param grantTypesSupported {@code grant_types_supported}
 * @param responseTypesSupported {@code response_types_supported}
 * @param codeChallengeMethodsSupported {@code code_challenge_methods_supported}
 * @param revocationEndpoint {@code revocation_endpoint}
 * @param revocationEndpointAuthMethodsSupported {@code revocation_endpoint_auth_methods_supported}
 * @param revocationEndpointAuthSigningAlgValuesSupported {@code revocation_endpoint_auth_signing_alg_values_supported}
 * @param introspectionEndpoint {@code introspection_endpoint}
 * @param introspectionEndpointAuthMethodsSupported {@code introspection_endpoint_auth_methods_supported}
 * @param introspectionEndpointAuthSigningAlgValuesSupported
 *     {@code introspection_endpoint_auth_signing_alg_values_supported}
 * @param authorizationResponseIssParameterSupported {@code authorization_response_iss_parameter_supported}
 */
public record AuthorizationServerMetadata(
        String issuer,
        String authorizationEndpoint,
        String jwksUri,
        String tokenEndpoint,
        List<String> tokenEndpointAuthMethodsSupported,
        List<String> tokenEndpointAuthSigningAlgValuesSupported,
        List<String> grantTypesSupported,
        List<String> responseTypesSupported,
        List<String> codeChallengeMethodsSupported,
        String revocationEndpoint,
        List<String> revocationEndpointAuthMethodsSupported,
        List<String> revocationEndpointAuthSigningAlgValuesSupported,
        String introspectionEndpoint,
        List<String> introspectionEndpointAuthMethodsSupported,
        List<String> introspectionEndpointAuthSigningAlgValuesSupported,
        boolean authorizationResponseIssParameterSupported) {

    /** The path of the JSON Web Key Set. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    /** The path of the authorization endpoint (the sign-in function). */
    public static final String AUTHORIZATION_PATH = "/oauth/authorize";

    /** RFC 6749 §4.1. */
    public static final String AUTHORIZATION_CODE = "authorization_code";
    /** RFC 6749 §6. */
    public static final String REFRESH_TOKEN = "refresh_token";
    /** RFC 6749 §4.4. */
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    /** RFC 7523 §2.1. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** RFC 8693 §2.1. */
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    /** The grant types {@code POST /oauth/token} serves. */
    public static final List<String> GRANT_TYPES = List.of(AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS,
            JWT_BEARER, TOKEN_EXCHANGE);

    /** The response types {@code /oauth/authorize} serves: the authorization code flow only. */
    public static final List<String> RESPONSE_TYPES = List.of("code");

    /** PKCE: S256 only (RFC 7636 §4.2; OAuth 2.1 §4.1.1: never plain). */
    public static final List<String> CODE_CHALLENGE_METHODS = List.of("S256");

    /** The client authentication methods (RFC 7591 §2 names) every client endpoint accepts. */
    public static final List<String> CLIENT_AUTH_METHODS = List.of("client_secret_basic", "client_secret_post",
            "private_key_jwt");

    /** No client authentication (a public client; RFC 7591 §2). */
    public static final String NONE = "none";

    /** Checks that nothing is missing and copies the lists; an empty list is a bug (RFC 8414 §2: omit instead). */
    public AuthorizationServerMetadata {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
        Objects.requireNonNull(jwksUri, "jwksUri");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(revocationEndpoint, "revocationEndpoint");
        Objects.requireNonNull(introspectionEndpoint, "introspectionEndpoint");
        tokenEndpointAuthMethodsSupported = nonEmpty(tokenEndpointAuthMethodsSupported);
        tokenEndpointAuthSigningAlgValuesSupported = nonEmpty(tokenEndpointAuthSigningAlgValuesSupported);
        grantTypesSupported = nonEmpty(grantTypesSupported);
        responseTypesSupported = nonEmpty(responseTypesSupported);
        codeChallengeMethodsSupported = nonEmpty(codeChallengeMethodsSupported);
        revocationEndpointAuthMethodsSupported = nonEmpty(revocationEndpointAuthMethodsSupported);
        revocationEndpointAuthSigningAlgValuesSupported = nonEmpty(revocationEndpointAuthSigningAlgValuesSupported);
        introspectionEndpointAuthMethodsSupported = nonEmpty(introspectionEndpointAuthMethodsSupported);
        introspectionEndpointAuthSigningAlgValuesSupported =
                nonEmpty(introspectionEndpointAuthSigningAlgValuesSupported);
    }

    /**
     * The document for an issuer.
     *
     * @param issuer the issuer URL, no trailing slash ({@code LATCHKEY_ISSUER})
     */
    public static AuthorizationServerMetadata of(String issuer) {
        List<String> withNone = List.of(NONE, CLIENT_AUTH_METHODS.get(0), CLIENT_AUTH_METHODS.get(1),
                CLIENT_AUTH_METHODS.get(2));
        List<String> algorithms = ClientAssertions.SIGNING_ALGORITHMS;
        return new AuthorizationServerMetadata(issuer, issuer + AUTHORIZATION_PATH, issuer + JWKS_PATH,
                ClientEndpoint.TOKEN.url(issuer), withNone, algorithms, GRANT_TYPES, RESPONSE_TYPES,
                CODE_CHALLENGE_METHODS, ClientEndpoint.REVOCATION.url(issuer), withNone, algorithms,
                ClientEndpoint.INTROSPECTION.url(issuer), CLIENT_AUTH_METHODS, algorithms, true);
    }

    private static List<String> nonEmpty(List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("RFC 8414 §2: omit a member rather than publish an empty list");
        }
        return List.copyOf(values);
    }
}
