package dev.latchkey.core.application;

import dev.latchkey.core.authorize.RedirectUris;
import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An application: an OAuth client that signs people in through Latchkey (an OpenID Connect relying party),
 * registered in one organization. Beside, not inside, the organization's service clients: a service client calls
 * resources as itself ({@code client_credentials}); an application acts for a signed-in person
 * ({@code authorization_code}). The two share the credential records ({@link ClientSecret}, {@link ClientKey}) and
 * how they are checked, not their settings.
 *
 * <p>The constructor keeps the rules that must hold for every stored application (OAuth 2.1 §2.1, RFC 7591 §2): a
 * public application authenticates with {@code none} and holds no secret or key; a confidential one names a real
 * method; at least one redirect URI, each {@link RedirectUris#registrable registrable}; {@code openid} among the
 * scopes, each one Latchkey knows ({@link #SCOPES}).
 *
 * @param clientId {@code app_…}, the OAuth {@code client_id}
 * @param organizationId the one organization it belongs to
 * @param name a label for people (the consent screen shows it)
 * @param type public or confidential
 * @param tokenEndpointAuthMethod the one method the token endpoint accepts from it
 * @param redirectUris where authorization responses may go, matched exactly (loopback port per RFC 8252 §7.3)
 * @param postLogoutRedirectUris where RP-initiated logout may return to, matched as the redirect URIs are
 * @param scopes the scopes it may request
 * @param firstParty whether it is the organization's own application: no consent screen
 * @param idTokenSignedResponseAlg how its ID tokens are signed
 * @param createdAt when
 * @param createdBy the actor id that created it
 * @param secrets its client secrets (confidential, {@code client_secret_*}), revoked ones included
 * @param keys its public keys ({@code private_key_jwt}), revoked ones included
 * @param version bumped by every change (optimistic concurrency, as for service clients)
 */
public record Application(String clientId, String organizationId, String name, ApplicationType type,
        TokenEndpointAuthMethod tokenEndpointAuthMethod, List<String> redirectUris,
        List<String> postLogoutRedirectUris, List<String> scopes, boolean firstParty,
        IdTokenAlgorithm idTokenSignedResponseAlg, Instant createdAt, String createdBy, List<ClientSecret> secrets,
        List<ClientKey> keys, long version) {

    /** The scope that makes a request an OpenID Connect one (OIDC Core §3.1.2.1). */
    public static final String OPENID = "openid";
    /** The scope that asks for a refresh token (OIDC Core §11). */
    public static final String OFFLINE_ACCESS = "offline_access";
    /** The scopes an application may be allowed (OIDC Core §5.4 and §11). */
    public static final Set<String> SCOPES = Set.of(OPENID, "profile", "email", OFFLINE_ACCESS);
    /** Most redirect URIs (and post-logout redirect URIs) of one application. */
    public static final int MAX_URIS = 20;

    /** Copies the lists and checks the rules above. */
    public Application {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tokenEndpointAuthMethod, "tokenEndpointAuthMethod");
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(idTokenSignedResponseAlg, "idTokenSignedResponseAlg");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        secrets = List.copyOf(secrets);
        keys = List.copyOf(keys);
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        if ((type == ApplicationType.PUBLIC) != (tokenEndpointAuthMethod == TokenEndpointAuthMethod.NONE)) {
            throw new IllegalArgumentException("a public application and only it authenticates with none");
        }
        if (type == ApplicationType.PUBLIC && (!secrets.isEmpty() || !keys.isEmpty())) {
            throw new IllegalArgumentException("a public application holds no credential");
        }
        if (redirectUris.isEmpty() || redirectUris.size() > MAX_URIS || postLogoutRedirectUris.size() > MAX_URIS) {
            throw new IllegalArgumentException("1 to 20 redirect URIs, at most 20 post-logout redirect URIs");
        }
        new RedirectUris(redirectUris);
        new RedirectUris(postLogoutRedirectUris);
        if (!scopes.contains(OPENID) || !SCOPES.containsAll(scopes) || Set.copyOf(scopes).size() != scopes.size()) {
            throw new IllegalArgumentException("scopes: openid and only known scopes, each once");
        }
    }

    /** Whether a request's {@code redirect_uri} is one of this application's (RFC 9700 §4.1.3). */
    public boolean redirectUriAllowed(String requested) {
        return new RedirectUris(redirectUris).matches(requested);
    }

    /**
     * Whether a {@code post_logout_redirect_uri} is one of this application's (OIDC RP-Initiated Logout §3): the rule
     * of redirect URIs, exact match but for the port of a loopback one (RFC 8252 §7.3: a native app listens on an
     * ephemeral port, for the logout return as for the authorization response).
     */
    public boolean postLogoutRedirectUriAllowed(String requested) {
        return new RedirectUris(postLogoutRedirectUris).matches(requested);
    }

    /** Whether this application may hold refresh tokens ({@code offline_access} allowed). */
    public boolean allowsOfflineAccess() {
        return scopes.contains(OFFLINE_ACCESS);
    }

    /** The secrets that authenticate at {@code now}. */
    public List<ClientSecret> usableSecrets(Instant now) {
        return secrets.stream().filter(s -> s.usableAt(now)).toList();
    }

    /** One secret by id. */
    public Optional<ClientSecret> secret(String secretId) {
        return secrets.stream().filter(s -> s.secretId().equals(secretId)).findFirst();
    }

    /** One key by id. */
    public Optional<ClientKey> key(String keyId) {
        return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
    }

    /** This application with other settings (never its type, method or credentials), at the next version. */
    public Application withSettings(String newName, List<String> newRedirectUris,
            List<String> newPostLogoutRedirectUris, List<String> newScopes, boolean newFirstParty,
            IdTokenAlgorithm newAlgorithm) {
        return new Application(clientId, organizationId, newName, type, tokenEndpointAuthMethod, newRedirectUris,
                newPostLogoutRedirectUris, newScopes, newFirstParty, newAlgorithm, createdAt, createdBy, secrets, keys,
                version + 1);
    }

    /** This application with one secret added or replaced (by id), at the next version. */
    public Application withSecret(ClientSecret secret) {
        List<ClientSecret> changed = new ArrayList<>(secrets);
        changed.removeIf(s -> s.secretId().equals(secret.secretId()));
        changed.add(secret);
        return new Application(clientId, organizationId, name, type, tokenEndpointAuthMethod, redirectUris,
                postLogoutRedirectUris, scopes, firstParty, idTokenSignedResponseAlg, createdAt, createdBy, changed,
                keys, version + 1);
    }

    /** This application with one key added or replaced (by id), at the next version. */
    public Application withKey(ClientKey key) {
        List<ClientKey> changed = new ArrayList<>(keys);
        changed.removeIf(k -> k.keyId().equals(key.keyId()));
        changed.add(key);
        return new Application(clientId, organizationId, name, type, tokenEndpointAuthMethod, redirectUris,
                postLogoutRedirectUris, scopes, firstParty, idTokenSignedResponseAlg, createdAt, createdBy, secrets,
                changed, version + 1);
    }
}
