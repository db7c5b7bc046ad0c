package dev.latchkey.core.resource;

import dev.latchkey.core.audit.AuditEvent;
import java.util.List;
import java.util.Optional;

/**
 * Where resources, their audience claims and their grants live. Every change is one transaction with its audit
 * event, conditioned on the resource's {@link StoredResource#version() version} (and bumping it), so changes of
 * one resource and its grants are serialized. Adds (a resource, a grant) also bump the organization's
 * {@code version}. Every read is strongly consistent.
 */
public interface ResourceRepository extends ResourceDirectory {

    /**
     * Stores a new resource (version 1) with its audience claim.
     *
     * @throws ResourceException {@code CONFLICT AUDIENCE_TAKEN} when any resource of the deployment has the
     *     audience; {@code CONFLICT CONCURRENT_CHANGE} when the organization vanished
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void create(Resource resource, AuditEvent event);

    /** One resource of the organization. */
    Optional<StoredResource> find(String organizationId, String resourceId);

    /** Every resource of the organization, by id (creation order). */
    List<Resource> list(String organizationId);

    /**
     * Writes the resource's new name and scopes (item and audience claim), rewrites the grants that lost a scope
     * and deletes those left with none — all or nothing.
     *
     * @param rewritten grants to overwrite (each must still exist)
     * @param removed grants to delete
     * @throws ResourceException {@code CONFLICT CONCURRENT_CHANGE} when the resource or one of the grants changed
     */
    void update(StoredResource before, Resource after, List<Grant> rewritten, List<Grant> removed,
            AuditEvent event);

    /**
     * Deletes the resource, its audience claim and the given grants (all of them, as read at
     * {@code resource.version()}).
     *
     * @throws ResourceException {@code CONFLICT CONCURRENT_CHANGE} when the resource changed
     */
    void delete(StoredResource resource, List<Grant> grants, AuditEvent event);

    /**
     * Creates or replaces a grant. The grantee is checked in the same transaction: a user must be a member of the
     * organization, a team must exist in it, a client must exist with that {@code organizationId}.
     *
     * @throws ResourceException {@code NOT_FOUND} (grantee) when the check fails; {@code CONFLICT
     *     CONCURRENT_CHANGE} when the resource changed
     */
    void putGrant(StoredResource resource, Grant grant, AuditEvent event);

    /**
     * Deletes a grant.
     *
     * @throws ResourceException {@code NOT_FOUND} (grantee) when there is no such grant; {@code CONFLICT
     *     CONCURRENT_CHANGE} when the resource changed
     */
    void deleteGrant(StoredResource resource, Grant grant, AuditEvent event);
}
