package dev.latchkey.core.oauth;

import dev.latchkey.core.client.ClientEndpoint;
import dev.latchkey.core.client.ClientGrant;
import dev.latchkey.core.client.IssueClientToken;
import dev.latchkey.core.client.PresentedClientCredentials;
import dev.latchkey.core.client.ServiceClient;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} (RFC 7523 §2.1): {@code assertion} (required),
 * optional separate client authentication (§3.1: {@code invalid_client} when it fails), the assertion verified
 * ({@code invalid_grant} when it fails) → {@link IssueClientToken} → the client's access token
 * ({@link ClientTokenGrant}).
 */
public final class JwtBearerGrant extends ClientTokenGrant {

    /** The grant type (RFC 7523 §2.1). */
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final OAuthClientAuthentication clients;

    /**
     * @param clients authenticates the client and verifies the assertion
     * @param tokens issues its token
     */
    public JwtBearerGrant(OAuthClientAuthentication clients, IssueClientToken tokens) {
        super(GRANT_TYPE, ClientGrant.JWT_BEARER, tokens);
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    protected ServiceClient client(OAuthRequest request) {
        String assertion = request.form().require("assertion");
        Optional<PresentedClientCredentials> presented = request.credentials();
        Optional<ServiceClient> authenticated = clients.optional(presented, request, ClientEndpoint.TOKEN);
        return clients.verifyGrant(assertion, authenticated, request);
    }
}
