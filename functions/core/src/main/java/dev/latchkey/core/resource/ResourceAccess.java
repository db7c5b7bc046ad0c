package dev.latchkey.core.resource;

import java.util.List;
import java.util.Objects;

/**
 * What a caller may ask of one resource: the resource, and the scopes granted to the caller on it (a subset of
 * the resource's scopes, possibly empty).
 *
 * @param resource the resource the token is for ({@code aud})
 * @param scopes the scopes granted to the caller, in the resource's order
 */
public record ResourceAccess(Resource resource, List<String> scopes) {

    /** Copies the scopes. */
    public ResourceAccess {
        Objects.requireNonNull(resource, "resource");
        scopes = List.copyOf(scopes);
    }
}
