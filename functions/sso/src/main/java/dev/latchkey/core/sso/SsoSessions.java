package dev.latchkey.core.sso;

import java.util.Optional;

/**
 * Stores single sign-on browser sessions by the hash of their cookie (DynamoDB with a TTL in Lambda). Every method
 * throws {@link dev.latchkey.core.store.StoreUnavailableException} when the store fails.
 */
public interface SsoSessions {

    /** Stores a new browser session (conditional on its hash being unused). */
    void save(SsoSession session);

    /** The browser session with this cookie hash, read strongly consistently, or empty. Callers check expiry. */
    Optional<SsoSession> find(String cookieHash);

    /** Removes it; removing a missing one is a no-op. */
    void delete(String cookieHash);
}
