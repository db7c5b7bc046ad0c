package dev.latchkey.core.resource;

import java.util.List;
import java.util.Optional;

/** The reads {@link GrantedScopes} needs of resources and grants; every read is strongly consistent. */
public interface ResourceDirectory {

    /**
     * The resource registered with this (normalized) audience: one consistent read of its audience claim.
     *
     * @return empty when no resource has it
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<Resource> findByAudience(String audience);

    /**
     * Every grant on a resource, in grantee-id order: one consistent read.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    List<Grant> grants(String organizationId, String resourceId);
}
