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
 * ({@code invalid_grant} when it fails) → {@link IssueClientToken} → the client's access token, as for
 * {@link ClientCredentialsGrant}.
 */
public final class JwtBearerGrant implements GrantHandler {

    /** The grant type (RFC 7523 §2.1). */
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final OAuthClientAuthentication clients;
    private final IssueClientToken tokens;

    /**
     * @param clients authenticates the client and verifies the assertion
     * @param tokens issues its token
     */
    public JwtBearerGrant(OAuthClientAuthentication clients, IssueClientToken tokens) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public AccessTokenResponse handle(OAuthRequest request) {
        String assertion = request.form().require("assertion");
        Optional<PresentedClientCredentials> presented = request.credentials();
        Optional<ServiceClient> authenticated = clients.optional(presented, request, ClientEndpoint.TOKEN);
        ServiceClient client = clients.verifyGrant(assertion, authenticated, request);
        return ClientCredentialsGrant.issue(tokens, client, ClientGrant.JWT_BEARER, request);
    }
}
