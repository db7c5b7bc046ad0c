package dev.latchkey.core.access;

import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;

/** Authenticates a caller by an API key (implemented by {@code dev.latchkey.core.apikey.VerifyApiKey}). */
@FunctionalInterface
public interface ApiKeyAuthenticator {

    /**
     * The key's caller.
     *
     * @throws AccessException 401 for a key that is not valid
     * @throws dev.latchkey.core.ratelimit.RateLimitedException 429 when the key is over its rate limit
     */
    Caller.ApiKey authenticate(String presentedKey);

    /**
     * The key's caller, presented from {@code sourceIp} (checked against the key's IP allow-list).
     *
     * @throws AccessException 401 for a key that is not valid, or not from an allowed address
     * @throws dev.latchkey.core.ratelimit.RateLimitedException 429 when the key is over its rate limit
     */
    default Caller.ApiKey authenticate(String presentedKey, java.util.Optional<String> sourceIp) {
        return authenticate(presentedKey);
    }
}
