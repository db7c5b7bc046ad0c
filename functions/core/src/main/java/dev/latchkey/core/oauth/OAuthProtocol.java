package dev.latchkey.core.oauth;

import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.AuthenticateApplication;
import dev.latchkey.core.client.ClientAuthentication;
import dev.latchkey.core.client.ClientAuthenticationException;
import dev.latchkey.core.client.ClientEndpoint;
import dev.latchkey.core.client.IssueClientToken;
import dev.latchkey.core.client.PresentedClientCredentials;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.introspect.IntrospectToken;
import dev.latchkey.core.revocation.RevokeOAuthToken;
import dev.latchkey.core.session.RefreshSession;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The OAuth endpoints' protocol rules (API.md "token"), one method per endpoint, every refusal an
 * {@link OAuthError}:
 * <ul>
 *   <li>{@link #token}: the grants of {@link TokenGrants} — {@link RefreshTokenGrant}, {@link TokenExchangeGrant},
 *       {@link ClientCredentialsGrant}, {@link JwtBearerGrant}; unknown parameters are ignored (RFC 6749 §3.1);</li>
 *   <li>{@link #revoke} (RFC 7009);</li>
 *   <li>{@link #introspect} (RFC 7662).</li>
 * </ul>
 * Client authentication ({@link ClientCredentialsParser}): exactly one of {@code client_secret_basic},
 * {@code client_secret_post}, {@code private_key_jwt}; any failure → 401 {@code invalid_client}
 * ({@link OAuthClientAuthentication}).
 */
public final class OAuthProtocol {

    private final TokenGrants grants;
    private final OAuthClientAuthentication clients;
    private final RevokeOAuthToken revoke;
    private final IntrospectToken introspect;
    private final Optional<AuthenticateApplication> applications;

    /**
     * The standard grants on the given use cases.
     *
     * @param refresh the refresh-token grant
     * @param revoke token revocation (RFC 7009): refresh tokens, access tokens, API keys
     * @param exchange the API-key token exchange
     * @param clients client authentication and jwt-bearer assertions
     * @param clientTokens a client's own tokens
     * @param introspect token introspection
     */
    public OAuthProtocol(RefreshSession refresh, RevokeOAuthToken revoke, ExchangeApiKey exchange,
            ClientAuthentication clients, IssueClientToken clientTokens, IntrospectToken introspect) {
        this(new OAuthClientAuthentication(clients), revoke, introspect, authentication -> List.of(
                new RefreshTokenGrant(refresh), new TokenExchangeGrant(exchange),
                new ClientCredentialsGrant(authentication, clientTokens),
                new JwtBearerGrant(authentication, clientTokens)));
    }

    /**
     * Any set of grants, for a composition root that adds one ({@code authorization_code}, issue 15).
     *
     * @param clients client authentication, shared by the grants, revocation and introspection
     * @param revoke token revocation
     * @param introspect token introspection
     * @param grants the grant handlers, given the shared client authentication
     */
    public OAuthProtocol(OAuthClientAuthentication clients, RevokeOAuthToken revoke, IntrospectToken introspect,
            Function<OAuthClientAuthentication, List<GrantHandler>> grants) {
        this(clients, Optional.empty(), revoke, introspect, grants);
    }

    /**
     * Any set of grants, and applications (issue 15) that authenticate at revocation and introspection too.
     *
     * @param clients service-client authentication, shared by the grants, revocation and introspection
     * @param applications an application's authentication with its registered method
     * @param revoke token revocation
     * @param introspect token introspection
     * @param grants the grant handlers, given the shared client authentication
     */
    public OAuthProtocol(OAuthClientAuthentication clients, AuthenticateApplication applications,
            RevokeOAuthToken revoke, IntrospectToken introspect,
            Function<OAuthClientAuthentication, List<GrantHandler>> grants) {
        this(clients, Optional.of(Objects.requireNonNull(applications, "applications")), revoke, introspect, grants);
    }

    private OAuthProtocol(OAuthClientAuthentication clients, Optional<AuthenticateApplication> applications,
            RevokeOAuthToken revoke, IntrospectToken introspect,
            Function<OAuthClientAuthentication, List<GrantHandler>> grants) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.applications = applications;
        this.revoke = Objects.requireNonNull(revoke, "revoke");
        this.introspect = Objects.requireNonNull(introspect, "introspect");
        this.grants = new TokenGrants(grants.apply(clients));
    }

    /**
     * {@code POST /oauth/token}: the grant's response body (RFC 6749 §5.1).
     *
     * @throws OAuthError for every refusal
     */
    public Object token(OAuthRequest request) {
        return grants.handle(request);
    }

    /**
     * {@code POST /oauth/revoke}, RFC 7009 §2.1: a client that sends credentials authenticates (401
     * {@code invalid_client} otherwise, before the token is looked at) — an application ({@code app_…}, named by
     * the credentials) with its registered method ({@link AuthenticateApplication}), a service client otherwise;
     * {@code token} (required), {@code token_type_hint} (ignored); a token that was not issued to the requesting
     * client is refused with 401 {@code invalid_client} too ({@link RevokeOAuthToken}); else §2.2's success,
     * whatever the token — revoked now, or nothing to revoke.
     *
     * @throws OAuthError for every refusal
     */
    public void revoke(OAuthRequest request) {
        Optional<PresentedClientCredentials> presented = request.credentials();
        Optional<Application> application = application(presented, request, ClientEndpoint.REVOCATION);
        Optional<ServiceClient> client = application.isPresent() ? Optional.empty()
                : clients.optional(presented, request, ClientEndpoint.REVOCATION);
        String token = request.form().require("token");
        try {
            if (application.isPresent()) {
                revoke.revoke(token, application.get(), request.origin());
            } else {
                revoke.revoke(token, client, request.origin());
            }
        } catch (ClientAuthenticationException e) {
            throw OAuthError.tokenOfAnotherClient(OAuthClientAuthentication.basic(presented));
        }
    }

    /**
     * {@code POST /oauth/introspect}, RFC 7662 §2.1: the client authenticates (401 {@code invalid_client}
     * otherwise) — a service client, or a confidential application with its registered method — {@code token}
     * (required), {@code token_type_hint} (ignored), then §2.2's answer: {@code {"active":true,…}} for a token of the
     * service client's organization, or for a token issued to the application ({@link IntrospectToken}), else
     * exactly {@code {"active":false}}; a bad token is never an error.
     *
     * @throws OAuthError for every refusal
     */
    public Map<String, Object> introspect(OAuthRequest request) {
        Optional<Application> application = application(request.credentials(), request,
                ClientEndpoint.INTROSPECTION);
        if (application.isPresent()) {
            return introspect.introspect(request.form().require("token"), application.get()).body();
        }
        ServiceClient client = clients.require(request, ClientEndpoint.INTROSPECTION);
        String token = request.form().require("token");
        return introspect.introspect(token, client).body();
    }

    /**
     * The application the presented credentials name, authenticated with its registered method; empty when none are
     * presented or they name a service client (or applications are not served).
     *
     * @throws OAuthError 401 {@code invalid_client} when the application's authentication fails
     */
    private Optional<Application> application(Optional<PresentedClientCredentials> presented, OAuthRequest request,
            ClientEndpoint endpoint) {
        if (applications.isEmpty() || presented.isEmpty()
                || !AuthenticateApplication.namesApplication(presented.get())) {
            return Optional.empty();
        }
        try {
            return Optional.of(applications.get().authenticate(presented, request.form().get("client_id"),
                    request.origin(), endpoint));
        } catch (ClientAuthenticationException e) {
            throw OAuthError.invalidClient(OAuthClientAuthentication.basic(presented), e.description());
        }
    }
}
