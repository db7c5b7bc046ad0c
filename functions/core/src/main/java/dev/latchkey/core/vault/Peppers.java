package dev.latchkey.core.vault;

/**
 * Secret keys for keyed hashes of high-entropy credentials (refresh tokens, API keys): a
 * pepper never leaves the process, so a copy of the table alone cannot link a token to its item.
 *
 * <p>Implementations create a pepper once for the whole deployment (concurrent first starts agree
 * on one), keep it sealed by the key vault, and open it at most once per container.
 */
public interface Peppers {

    /** The pepper for refresh tokens. */
    String REFRESH_TOKEN = "refresh-token";

    /** The pepper for API keys. */
    String API_KEY = "api-key";

    /** The key of the decoy credential ids a passkey login offers for an email without passkeys. */
    String PASSKEY_DECOY = "passkey-decoy";

    /** The pepper for service clients' secrets. */
    String CLIENT_SECRET = "client-secret";

    /**
     * The 32-byte pepper with this name, created on first use.
     *
     * @param name {@code [a-z0-9-]{1,64}}, such as {@link #REFRESH_TOKEN}
     * @return a copy the caller may keep
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     * @throws dev.latchkey.core.vault.KeyVaultException when the vault cannot seal or open it
     */
    byte[] pepper(String name);
}
