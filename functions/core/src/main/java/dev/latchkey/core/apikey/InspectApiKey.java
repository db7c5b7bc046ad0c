package dev.latchkey.core.apikey;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks at a presented API key without using it, for token introspection (RFC 7662): format and checksum, one
 * strongly consistent read (never the cache, so a revocation counts at once), the keyed hash compared in constant
 * time (computed for an unknown id too), then revoked or expired. Unlike {@link VerifyApiKey} it neither counts a
 * use nor consumes the key's rate limit: asking about a key is not using it.
 */
public final class InspectApiKey {

    private final ApiKeyRepository keys;
    private final ApiKeyHasher hasher;
    private final Clock clock;

    /**
     * @param keys the store
     * @param hasher hashes the presented key
     * @param clock expiry and the roll grace
     */
    public InspectApiKey(ApiKeyRepository keys, ApiKeyHasher hasher, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The key, when the presented value is a key that works now.
     *
     * @return empty for anything else: malformed, unknown, wrong secret, revoked, expired
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public Optional<ApiKey> active(String presented) {
        Optional<ApiKeyToken> token = ApiKeyToken.parse(presented);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Optional<ApiKey> found = keys.find(token.get().keyId());
        byte[] hash = hasher.hash(token.get());
        var now = clock.instant();
        return found.filter(key -> key.secrets().accepts(hash, now))
                .filter(key -> key.state(now) == ApiKeyState.ACTIVE);
    }
}
