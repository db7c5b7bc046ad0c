package dev.latchkey.core.session;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a refresh asks for besides a new refresh token: an access token for one resource (RFC 8707
 * {@code resource}, or {@code audience}) instead of the session's own, optionally narrowed by {@code scope}
 * (RFC 6749 §3.3). Without a target a refresh answers the session's access token (audience the issuer, no
 * scope), and a {@code scope} has nothing to narrow.
 *
 * @param audience the requested resource's audience, as sent (normalized by the grant model)
 * @param scope the requested scopes, already parsed ({@link dev.latchkey.core.resource.RequestedScope#parse});
 *     empty for all scopes granted to the user
 */
public record RefreshTarget(String audience, Optional<List<String>> scope) {

    /** Copies the scopes. */
    public RefreshTarget {
        Objects.requireNonNull(audience, "audience");
        scope = Objects.requireNonNull(scope, "scope").map(List::copyOf);
    }

    /** A token for the resource with every scope granted to the user on it. */
    public static RefreshTarget of(String audience) {
        return new RefreshTarget(audience, Optional.empty());
    }
}
