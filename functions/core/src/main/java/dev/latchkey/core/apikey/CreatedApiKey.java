package dev.latchkey.core.apikey;

import java.util.Objects;

/**
 * A key just created or rolled, with its secret — the only time anybody sees it.
 *
 * @param key the stored key
 * @param token the key to hand to the caller once
 */
public record CreatedApiKey(ApiKey key, ApiKeyToken token) {

    /** Checks nothing is missing. */
    public CreatedApiKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(token, "token");
    }
}
