package dev.latchkey.core.oauth;

import dev.latchkey.core.client.ClientAuthentication;
import dev.latchkey.core.client.ClientAuthenticationException;
import dev.latchkey.core.client.ClientEndpoint;
import dev.latchkey.core.client.PresentedClientCredentials;
import dev.latchkey.core.client.ServiceClient;
import java.util.Objects;
import java.util.Optional;

/**
 * Client authentication at an OAuth endpoint (RFC 6749 §2.3, §3.2.1; RFC 7523 §2.2) on the one error model: the
 * client authenticates at the endpoint the request was sent to (a client assertion's {@code aud} may name it); every
 * failure is the same 401 {@code invalid_client}, whose {@code error_description} names the failed rule only when
 * that reveals nothing about the client ({@link dev.latchkey.core.client.ClientAuthenticationFailure#disclosure()}),
 * with {@code WWW-Authenticate: Basic realm="latchkey"} after Basic.
 */
public final class OAuthClientAuthentication {

    private final ClientAuthentication clients;

    /** @param clients checks secrets and assertions */
    public OAuthClientAuthentication(ClientAuthentication clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    /**
     * The authenticated client of a request that must authenticate one.
     *
     * @throws OAuthError {@code invalid_client} when no credentials are presented or they fail
     */
    public ServiceClient require(OAuthRequest request, ClientEndpoint endpoint) {
        PresentedClientCredentials presented = request.credentials()
                .orElseThrow(() -> OAuthError.invalidClient(false, ClientAuthenticationException.MESSAGE));
        return authenticate(presented, request, endpoint);
    }

    /**
     * The authenticated client when credentials are presented, else empty.
     *
     * @throws OAuthError {@code invalid_client} when presented credentials fail
     */
    public Optional<ServiceClient> optional(Optional<PresentedClientCredentials> presented, OAuthRequest request,
            ClientEndpoint endpoint) {
        return presented.map(p -> authenticate(p, request, endpoint));
    }

    /**
     * Verifies a jwt-bearer authorization grant (RFC 7523 §2.1, §3).
     *
     * @param assertion the {@code assertion} parameter
     * @param authenticated the client authenticated separately, if any
     * @throws OAuthError {@code invalid_grant} (RFC 7523 §3.1) for an invalid assertion
     */
    public ServiceClient verifyGrant(String assertion, Optional<ServiceClient> authenticated, OAuthRequest request) {
        try {
            return clients.verifyGrant(assertion, authenticated, request.origin());
        } catch (ClientAuthenticationException e) {
            throw OAuthError.invalidAssertion(e.reason().disclosure());
        }
    }

    /** Whether the presented credentials are {@code client_secret_basic} (the 401 then carries the challenge). */
    public static boolean basic(Optional<PresentedClientCredentials> presented) {
        return presented.filter(p -> p instanceof PresentedClientCredentials.Secret secret && secret.basic())
                .isPresent();
    }

    private ServiceClient authenticate(PresentedClientCredentials presented, OAuthRequest request,
            ClientEndpoint endpoint) {
        try {
            return clients.authenticate(presented, request.origin(), endpoint);
        } catch (ClientAuthenticationException e) {
            throw OAuthError.invalidClient(basic(Optional.of(presented)), e.description());
        }
    }
}
