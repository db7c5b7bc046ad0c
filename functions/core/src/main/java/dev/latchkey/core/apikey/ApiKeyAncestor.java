package dev.latchkey.core.apikey;

import dev.latchkey.core.ratelimit.RateLimit;
import java.util.Objects;
import java.util.Optional;

/**
 * One key in the chain of makers of a key made by a key (docs/api-keys.md "Keys made by keys"), stored on the made
 * key so that verification needs no other read: its id (the family's revocation finds descendants by it) and its
 * rate limit, whose budget every use of a descendant draws on. Both never change after the maker's creation.
 *
 * @param keyId the maker's {@code key_…}
 * @param rateLimit the maker's own limit, if it has one
 */
public record ApiKeyAncestor(String keyId, Optional<RateLimit> rateLimit) {

    /** Checks nothing is missing. */
    public ApiKeyAncestor {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(rateLimit, "rateLimit");
    }

    /** The key as an ancestor of the keys it makes. */
    public static ApiKeyAncestor of(ApiKey maker) {
        return new ApiKeyAncestor(maker.id(), maker.rateLimit());
    }
}
