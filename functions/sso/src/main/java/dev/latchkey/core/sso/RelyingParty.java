package dev.latchkey.core.sso;

import dev.latchkey.core.authorize.RedirectUris;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the hosted pages need to know of a registered application (a relying party): the view of the applications
 * model ({@code core.application}) the authorization endpoint and logout read.
 *
 * @param clientId the {@code client_id}
 * @param name the name shown on the consent page
 * @param redirectUris the registered redirect URIs (exact match, RFC 8252 loopback ports)
 * @param postLogoutRedirectUris the registered {@code post_logout_redirect_uri} values (exact match, RFC 8252
 *     loopback ports, as the redirect URIs)
 * @param firstParty whether the application is the organization's own (no consent page)
 * @param allowedScopes the scopes it may ask for
 */
public record RelyingParty(String clientId, String name, RedirectUris redirectUris,
        List<String> postLogoutRedirectUris, boolean firstParty, Set<String> allowedScopes) {

    /** Validates and copies. */
    public RelyingParty {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(redirectUris, "redirectUris");
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        allowedScopes = Set.copyOf(allowedScopes);
    }

    /**
     * Whether a {@code post_logout_redirect_uri} is registered (OpenID Connect RP-Initiated Logout §3): exact match,
     * with the loopback rule of redirect URIs (RFC 8252 §7.3: a native app's {@code http://127.0.0.1} port may
     * vary, as it listens on an ephemeral port).
     */
    public boolean postLogoutRedirectUriAllowed(String requested) {
        if (requested == null) {
            return false;
        }
        if (postLogoutRedirectUris.contains(requested)) {
            return true;
        }
        List<String> registrable = postLogoutRedirectUris.stream().filter(RedirectUris::registrable).toList();
        return new RedirectUris(registrable).matches(requested);
    }
}
