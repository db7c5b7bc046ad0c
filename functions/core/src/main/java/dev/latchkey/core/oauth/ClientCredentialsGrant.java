package dev.latchkey.core.oauth;

import dev.latchkey.core.client.ClientEndpoint;
import dev.latchkey.core.client.ClientGrant;
import dev.latchkey.core.client.ClientToken;
import dev.latchkey.core.client.IssueClientToken;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.InvalidTargetException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code grant_type=client_credentials} (RFC 6749 §4.4): the client authenticates (RFC 6749 §4.4.2; no credentials
 * → {@code invalid_client}) → {@link IssueClientToken} → a client's own access token for one resource
 * ({@code resource} or {@code audience}; {@code scope} narrows), no refresh token (§4.4.3).
 */
public final class ClientCredentialsGrant implements GrantHandler {

    /** The grant type. */
    public static final String GRANT_TYPE = "client_credentials";

    private final OAuthClientAuthentication clients;
    private final IssueClientToken tokens;

    /**
     * @param clients authenticates the client
     * @param tokens issues its token
     */
    public ClientCredentialsGrant(OAuthClientAuthentication clients, IssueClientToken tokens) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public AccessTokenResponse handle(OAuthRequest request) {
        ServiceClient client = clients.require(request, ClientEndpoint.TOKEN);
        return issue(tokens, client, ClientGrant.CLIENT_CREDENTIALS, request);
    }

    /**
     * RFC 6749 §4.4.3 / RFC 7523 §2.1: the client's access token, {@code token_type} Bearer, no refresh token.
     *
     * @throws OAuthError {@code invalid_scope} or {@code invalid_target}
     */
    static AccessTokenResponse issue(IssueClientToken tokens, ServiceClient client, ClientGrant grant,
            OAuthRequest request) {
        Optional<List<String>> scope = request.scope();
        ClientToken token;
        try {
            token = tokens.issue(client, grant, request.resource(), scope, request.origin());
        } catch (InvalidTargetException e) {
            throw OAuthError.invalidTarget();
        } catch (InvalidScopeException e) {
            throw OAuthError.scopeNotGranted();
        }
        return AccessTokenResponse.bearer(token.accessToken(), Optional.empty(), token.expiresIn(), token.scope());
    }
}
