package dev.latchkey.core.oauth;

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
 * A grant that answers a service client's own access token (RFC 6749 §4.4.3, RFC 7523 §2.1): the subclass finds
 * the client ({@link #client}), then {@link IssueClientToken} issues a Bearer token for one resource
 * ({@code resource} or {@code audience}; {@code scope} narrows), no refresh token.
 */
public abstract class ClientTokenGrant implements GrantHandler {

    private final String grantType;
    private final ClientGrant grant;
    private final IssueClientToken tokens;

    /**
     * @param grantType the {@code grant_type}
     * @param grant the grant, for the audit event
     * @param tokens issues the client's token
     */
    protected ClientTokenGrant(String grantType, ClientGrant grant, IssueClientToken tokens) {
        this.grantType = Objects.requireNonNull(grantType, "grantType");
        this.grant = Objects.requireNonNull(grant, "grant");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * The client the token is for, authenticated (or asserted) as the grant demands.
     *
     * @throws OAuthError {@code invalid_client}, {@code invalid_grant} or {@code invalid_request}
     */
    protected abstract ServiceClient client(OAuthRequest request);

    @Override
    public final String grantType() {
        return grantType;
    }

    /**
     * The client's access token, {@code token_type} Bearer, no refresh token.
     *
     * @throws OAuthError as {@link #client}, or {@code invalid_scope} / {@code invalid_target}
     */
    @Override
    public final AccessTokenResponse handle(OAuthRequest request) {
        ServiceClient client = client(request);
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
