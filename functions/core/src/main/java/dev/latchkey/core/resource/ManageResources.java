package dev.latchkey.core.resource;

import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.Ids;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The use cases of {@code /v1/orgs/{orgId}/resources} (docs/resources.md), each taking an {@link OrgAccess} for
 * {@code resource:read} or {@code resource:manage}. Another organization's resource answers 404.
 *
 * <p><b>Removing a scope</b> from a resource also removes it from every grant of that resource in the same
 * transaction (a grant left with no scope is deleted), so no grant ever names a scope its resource lacks. That is
 * why a resource carries at most {@value ManageGrants#MAX_GRANTS_PER_RESOURCE} grants: the change, the audience
 * claim, the audit event and every grant fit in one {@code TransactWriteItems}.
 */
public final class ManageResources {

    /**
     * Most resources per organization, so that a list answers in one page. Checked before the write: two creates at
     * the limit at the same instant may both pass (a bound, not an exact count).
     */
    public static final int MAX_RESOURCES = 200;

    private final ResourceRepository resources;
    private final IdGenerator ids;
    private final Clock clock;
    private final ResourceAudit audit;
    private final ReservedAudiences reserved;

    /**
     * @param resources the store
     * @param reserved Latchkey's own URLs, which no resource may have as its audience
     * @param ids resource and event ids
     * @param clock times
     */
    public ManageResources(ResourceRepository resources, ReservedAudiences reserved, IdGenerator ids, Clock clock) {
        this.resources = Objects.requireNonNull(resources, "resources");
        this.reserved = Objects.requireNonNull(reserved, "reserved");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = new ResourceAudit(ids, clock);
    }

    /**
     * Registers a resource ({@code resource:manage}).
     *
     * @param audience normalized by {@link Audience#normalize}, and never one of Latchkey's own URLs
     *     ({@link ReservedAudiences})
     * @param scopes checked by {@link ResourceScopes#checked}
     * @throws ResourceException 400 for a bad field ({@code RESERVED_AUDIENCE} for Latchkey's own URL); 409
     *     {@code AUDIENCE_TAKEN} when a resource of any organization has the audience, or another organization
     *     had it (an audience stays its first organization's after the resource is deleted)
     */
    public Resource create(OrgAccess access, String name, String audience, List<String> scopes,
            RequestOrigin origin) {
        String checkedName = ResourceScopes.name(name);
        String normalized = Audience.normalize(audience);
        reserved.check(normalized);
        List<String> checkedScopes = ResourceScopes.checked("scopes", scopes);
        if (resources.list(access.organizationId()).size() >= MAX_RESOURCES) {
            throw ResourceException.conflict("TOO_MANY_RESOURCES", "An organization has at most " + MAX_RESOURCES
                    + " resources.");
        }
        Resource resource = new Resource(ids.next(IdPrefix.RESOURCE), access.organizationId(), normalized,
                checkedName, checkedScopes, clock.instant().truncatedTo(ChronoUnit.MILLIS),
                access.caller().actor().id());
        resources.create(resource, audit.event(ResourceAudit.CREATED, access, resource.resourceId(), origin,
                Map.of("scope_count", Integer.toString(checkedScopes.size()))));
        return resource;
    }

    /** The organization's resources ({@code resource:read}). */
    public List<Resource> list(OrgAccess access) {
        return resources.list(access.organizationId());
    }

    /**
     * One resource ({@code resource:read}).
     *
     * @throws ResourceException 404
     */
    public Resource show(OrgAccess access, String resourceId) {
        return find(resources, access, resourceId).resource();
    }

    /**
     * Changes the name and/or the scopes ({@code resource:manage}); the audience never changes (tokens carry it;
     * so no update can make it a {@link ReservedAudiences reserved} one either).
     * A removed scope is removed from every grant of the resource in the same transaction. Nothing to change
     * writes nothing.
     *
     * @throws ResourceException 400, 404, 409 {@code CONCURRENT_CHANGE}
     */
    public Resource update(OrgAccess access, String resourceId, Optional<String> name,
            Optional<List<String>> scopes, RequestOrigin origin) {
        Optional<String> checkedName = name.map(ResourceScopes::name);
        Optional<List<String>> checkedScopes = scopes.map(s -> ResourceScopes.checked("scopes", s));
        StoredResource stored = find(resources, access, resourceId);
        Resource before = stored.resource();
        Resource after = new Resource(before.resourceId(), before.organizationId(), before.audience(),
                checkedName.orElse(before.name()), checkedScopes.orElse(before.scopes()), before.createdAt(),
                before.createdBy());
        if (after.equals(before)) {
            return before;
        }
        Set<String> kept = new HashSet<>(after.scopes());
        List<Grant> rewritten = new ArrayList<>();
        List<Grant> removed = new ArrayList<>();
        if (!kept.containsAll(before.scopes())) {
            for (Grant grant : resources.grants(before.organizationId(), resourceId)) {
                List<String> left = grant.scopes().stream().filter(kept::contains).toList();
                if (left.isEmpty()) {
                    removed.add(grant);
                } else if (left.size() < grant.scopes().size()) {
                    rewritten.add(new Grant(grant.organizationId(), grant.resourceId(), grant.granteeId(),
                            grant.granteeType(), left, grant.grantedAt(), grant.grantedBy()));
                }
            }
        }
        long added = after.scopes().stream().filter(s -> !before.scopes().contains(s)).count();
        long dropped = before.scopes().stream().filter(s -> !kept.contains(s)).count();
        resources.update(stored, after, rewritten, removed, audit.event(ResourceAudit.UPDATED, access, resourceId,
                origin, Map.of("renamed", Boolean.toString(!after.name().equals(before.name())),
                        "scopes_added", Long.toString(added), "scopes_removed", Long.toString(dropped),
                        "grants_changed", Integer.toString(rewritten.size()),
                        "grants_removed", Integer.toString(removed.size()))));
        return after;
    }

    /**
     * Deletes a resource and all its grants ({@code resource:manage}); no token is issued for it from then on. Its
     * audience claim stays as a tombstone of the organization: the organization may register the audience again,
     * no other organization ever can (409 {@code AUDIENCE_TAKEN}).
     *
     * @throws ResourceException 404, 409 {@code CONCURRENT_CHANGE}
     */
    public void delete(OrgAccess access, String resourceId, RequestOrigin origin) {
        StoredResource stored = find(resources, access, resourceId);
        List<Grant> grants = resources.grants(access.organizationId(), resourceId);
        resources.delete(stored, grants, audit.event(ResourceAudit.DELETED, access, resourceId, origin,
                Map.of("grants_removed", Integer.toString(grants.size()))));
    }

    static StoredResource find(ResourceRepository resources, OrgAccess access, String resourceId) {
        if (!Ids.matches(IdPrefix.RESOURCE, resourceId)) {
            throw ResourceException.notFound();
        }
        return resources.find(access.organizationId(), resourceId).orElseThrow(ResourceException::notFound);
    }
}
