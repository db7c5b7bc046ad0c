package dev.latchkey.core.client;

import dev.latchkey.core.resource.ResourceRepository;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the audience of one of a client's allowed resources, for a client-credentials request that names no
 * resource: the client then gets a token for its single allowed resource.
 */
@FunctionalInterface
public interface AllowedResources {

    /**
     * The audience of the organization's resource with this id.
     *
     * @return empty when the organization has no such resource (any more)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<String> audienceOf(String organizationId, String resourceId);

    /**
     * Through the resources' own store: {@link ResourceRepository#find} (one strongly consistent read of the
     * resource item), so the item layout stays the resource adapter's alone.
     */
    static AllowedResources from(ResourceRepository resources) {
        Objects.requireNonNull(resources, "resources");
        return (organizationId, resourceId) -> resources.find(organizationId, resourceId)
                .map(stored -> stored.resource().audience());
    }
}
