package dev.latchkey.core.sso;

import java.time.Instant;
import java.util.Set;

/**
 * The scopes each user has agreed to share with each third-party application (OpenID Connect Core §3.1.2.4), so
 * the consent page is shown once per user and client, and again only for scopes not granted yet.
 * Every method throws {@link dev.latchkey.core.store.StoreUnavailableException} when the store fails.
 */
public interface Consents {

    /** The scopes the user granted this client, empty when none. */
    Set<String> granted(String userId, String clientId);

    /** Adds {@code scopes} to what the user granted this client. */
    void grant(String userId, String clientId, Set<String> scopes, Instant at);
}
