package dev.latchkey.core.oauth;

import dev.latchkey.core.client.ClientEndpoint;
import dev.latchkey.core.client.ClientGrant;
import dev.latchkey.core.client.IssueClientToken;
import dev.latchkey.core.client.ServiceClient;
import java.util.Objects;

/**
 * {@code grant_type=client_credentials} (RFC 6749 §4.4): the client authenticates (§4.4.2; no credentials →
 * {@code invalid_client}) → {@link IssueClientToken} → the client's own access token for one resource
 * ({@link ClientTokenGrant}), no refresh token (§4.4.3).
 */
public final class ClientCredentialsGrant extends ClientTokenGrant {

    /** The grant type. */
    public static final String GRANT_TYPE = "client_credentials";

    private final OAuthClientAuthentication clients;

    /**
     * @param clients authenticates the client
     * @param tokens issues its token
     */
    public ClientCredentialsGrant(OAuthClientAuthentication clients, IssueClientToken tokens) {
        super(GRANT_TYPE, ClientGrant.CLIENT_CREDENTIALS, tokens);
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    protected ServiceClient client(OAuthRequest request) {
        return clients.require(request, ClientEndpoint.TOKEN);
    }
}
