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
}
