package dev.latchkey.core.resource;

import java.util.Objects;

/**
 * A resource as read from the store, with its version: bumped by every change of the resource and of its grants,
 * so that a change conditioned on it sees every grant (a scope removed from the resource can never survive in
 * a grant written meanwhile).
 *
 * @param resource the resource
 * @param version its version, 1 when created
 */
public record StoredResource(Resource resource, long version) {

    /** Checks nothing is missing. */
    public StoredResource {
        Objects.requireNonNull(resource, "resource");
    }
}
