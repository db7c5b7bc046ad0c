package dev.latchkey.functions.token;

import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.client.ClientAuthentication;
import dev.latchkey.core.client.IssueClientToken;
import dev.latchkey.core.introspect.IntrospectToken;
import dev.latchkey.core.revocation.RevokeOAuthToken;
import dev.latchkey.core.session.RefreshSession;
import java.util.Objects;

/**
 * The use cases behind the OAuth routes.
 *
 * @param refresh the refresh-token grant
 * @param revoke token revocation (RFC 7009): refresh tokens, access tokens, API keys
 * @param exchange the API-key token exchange
 * @param clients client authentication and jwt-bearer assertions
 * @param clientTokens a client's own tokens
 * @param introspect token introspection
 */
record OAuthServices(RefreshSession refresh, RevokeOAuthToken revoke, ExchangeApiKey exchange,
        ClientAuthentication clients, IssueClientToken clientTokens, IntrospectToken introspect) {

    OAuthServices {
        Objects.requireNonNull(refresh, "refresh");
        Objects.requireNonNull(revoke, "revoke");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(clientTokens, "clientTokens");
        Objects.requireNonNull(introspect, "introspect");
    }
}
