package dev.latchkey.core.application;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of a new application, or the changes of an existing one, as the management routes read them: each
 * field optional on update; on create {@code name}, {@code redirect_uris} and the type are required, the rest have
 * defaults (scopes {@code openid profile email}, not first party, RS256, {@code client_secret_basic} for a
 * confidential application). Checked by {@link ManageApplications} against {@link Application}'s rules, each
 * failure a 400 naming its field.
 *
 * @param name the label
 * @param type {@code public} or {@code confidential}
 * @param tokenEndpointAuthMethod the registered method
 * @param redirectUris the redirect URIs
 * @param postLogoutRedirectUris the post-logout redirect URIs
 * @param scopes the allowed scopes
 * @param firstParty whether consent is skipped
 * @param idTokenSignedResponseAlg {@code RS256} or {@code ES256}
 */
public record ApplicationSettings(Optional<String> name, Optional<String> type,
        Optional<String> tokenEndpointAuthMethod, Optional<List<String>> redirectUris,
        Optional<List<String>> postLogoutRedirectUris, Optional<List<String>> scopes, Optional<Boolean> firstParty,
        Optional<String> idTokenSignedResponseAlg) {

    /** The longest name. */
    public static final int MAX_NAME_LENGTH = 100;

    /** Checks presence of the optionals themselves. */
    public ApplicationSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tokenEndpointAuthMethod, "tokenEndpointAuthMethod");
        Objects.requireNonNull(redirectUris, "redirectUris");
        Objects.requireNonNull(postLogoutRedirectUris, "postLogoutRedirectUris");
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(firstParty, "firstParty");
        Objects.requireNonNull(idTokenSignedResponseAlg, "idTokenSignedResponseAlg");
    }
}
