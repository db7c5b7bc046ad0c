package dev.latchkey.core.resource;

import dev.latchkey.core.access.MembershipDirectory;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.team.InMemoryTeamRepository;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ResourceRepository} with the port's contract, for use-case tests (shared through the core
 * test jar). Every change is atomic (synchronized), conditioned on the resource's version like the adapter, and
 * records its audit event into the given {@link AuditLog} as part of it. Grantees are checked against the given
 * membership directory, team repository ({@link #teams}) and registered clients ({@link #putClient}). Counts
 * reads.
 */
public final class InMemoryResourceRepository implements ResourceRepository {

    private final AuditLog auditLog;
    private final MembershipDirectory memberships;
    private final Map<String, StoredResource> resources = new TreeMap<>();
    private final Map<String, Resource> audiences = new TreeMap<>();
    /** Tombstones of deleted resources' audiences: audience → the organization that keeps it. */
    private final Map<String, String> tombstones = new TreeMap<>();
    private final Map<String, Grant> grants = new TreeMap<>();
    private final Set<String> clients = new HashSet<>();
    private final Map<String, Long> organizationVersions = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private InMemoryTeamRepository teams;

    /**
     * @param auditLog receives every change's audit event
     * @param memberships who is a member of which organization (user grantees)
     */
    public InMemoryResourceRepository(AuditLog auditLog, MembershipDirectory memberships) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.memberships = Objects.requireNonNull(memberships, "memberships");
    }

    /** The teams that team grantees are checked against. */
    public synchronized InMemoryResourceRepository teams(InMemoryTeamRepository value) {
        this.teams = value;
        return this;
    }

    /** Registers a service client of an organization (as the clients' adapter would). */
    public synchronized InMemoryResourceRepository putClient(String organizationId, String clientId) {
        clients.add(key(organizationId, clientId));
        return this;
    }

    /** Stores a resource and its audience claim as they are (no checks: for arranging tests). */
    public synchronized InMemoryResourceRepository putResource(Resource resource) {
        resources.put(key(resource.organizationId(), resource.resourceId()), new StoredResource(resource, 1));
        audiences.put(resource.audience(), resource);
        return this;
    }

    /** Stores a grant as it is (no checks: for arranging tests). */
    public synchronized InMemoryResourceRepository putGrant(Grant grant) {
        grants.put(key(grant.organizationId(), grant.resourceId(), grant.granteeId()), grant);
        return this;
    }

    /** Removes a grant, if any. */
    public synchronized InMemoryResourceRepository removeGrant(String organizationId, String resourceId,
            String granteeId) {
        grants.remove(key(organizationId, resourceId, granteeId));
        return this;
    }

    /** Removes every grant to the grantee in the organization (a team's delete); answers how many. */
    public synchronized int removeGrantsTo(String organizationId, String granteeId) {
        int before = grants.size();
        grants.values().removeIf(g -> g.organizationId().equals(organizationId) && g.granteeId().equals(granteeId));
        return before - grants.size();
    }

    /** How often an add bumped the organization's version. */
    public synchronized long organizationVersion(String organizationId) {
        return organizationVersions.getOrDefault(organizationId, 0L);
    }

    /** How many reads were made. */
    public int reads() {
        return reads.get();
    }

    @Override
    public synchronized Optional<Resource> findByAudience(String audience) {
        reads.incrementAndGet();
        return Optional.ofNullable(audiences.get(Objects.requireNonNull(audience, "audience")));
    }

    @Override
    public synchronized List<Grant> grants(String organizationId, String resourceId) {
        reads.incrementAndGet();
        String prefix = key(organizationId, resourceId) + "/";
        return grants.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                .toList();
    }

    /** The organization whose tombstone holds the audience, if a deleted resource left one. */
    public synchronized Optional<String> tombstone(String audience) {
        return Optional.ofNullable(tombstones.get(audience));
    }

    @Override
    public synchronized void create(Resource resource, AuditEvent event) {
        String keeper = tombstones.get(resource.audience());
        if (audiences.containsKey(resource.audience())
                || keeper != null && !keeper.equals(resource.organizationId())) {
            throw ResourceException.conflict("AUDIENCE_TAKEN", "A resource with this audience exists.");
        }
        auditLog.record(event);
        tombstones.remove(resource.audience());
        putResource(resource);
        organizationVersions.merge(resource.organizationId(), 1L, Long::sum);
    }

    @Override
    public synchronized Optional<StoredResource> find(String organizationId, String resourceId) {
        reads.incrementAndGet();
        return Optional.ofNullable(resources.get(key(organizationId, resourceId)));
    }

    @Override
    public synchronized List<Resource> list(String organizationId) {
        reads.incrementAndGet();
        return resources.values().stream().map(StoredResource::resource)
                .filter(r -> r.organizationId().equals(organizationId)).toList();
    }

    @Override
    public synchronized void update(StoredResource before, Resource after, List<Grant> rewritten,
            List<Grant> removed, AuditEvent event) {
        checkVersion(before);
        for (Grant grant : rewritten) {
            if (!grants.containsKey(grantKey(grant))) {
                throw concurrent();
            }
        }
        auditLog.record(event);
        resources.put(key(after.organizationId(), after.resourceId()), new StoredResource(after,
                before.version() + 1));
        audiences.put(after.audience(), after);
        rewritten.forEach(this::putGrant);
        removed.forEach(g -> grants.remove(grantKey(g)));
    }

    @Override
    public synchronized void delete(StoredResource resource, List<Grant> toDelete, AuditEvent event) {
        checkVersion(resource);
        auditLog.record(event);
        Resource r = resource.resource();
        resources.remove(key(r.organizationId(), r.resourceId()));
        audiences.remove(r.audience());
        tombstones.put(r.audience(), r.organizationId());
        toDelete.forEach(g -> grants.remove(grantKey(g)));
    }

    @Override
    public synchronized void putGrant(StoredResource resource, Grant grant, AuditEvent event) {
        checkVersion(resource);
        String org = grant.organizationId();
        boolean exists = switch (grant.granteeType()) {
            case USER -> memberships.role(org, grant.granteeId()).isPresent();
            case TEAM -> teams != null && teams.find(org, grant.granteeId()).isPresent();
            case CLIENT -> clients.contains(key(org, grant.granteeId()));
        };
        if (!exists) {
            throw ResourceException.granteeNotFound();
        }
        auditLog.record(event);
        putGrant(grant);
        bump(resource);
        organizationVersions.merge(org, 1L, Long::sum);
    }

    @Override
    public synchronized void deleteGrant(StoredResource resource, Grant grant, AuditEvent event) {
        checkVersion(resource);
        if (!grants.containsKey(grantKey(grant))) {
            throw ResourceException.granteeNotFound();
        }
        auditLog.record(event);
        grants.remove(grantKey(grant));
        bump(resource);
    }

    private void checkVersion(StoredResource expected) {
        Resource r = expected.resource();
        StoredResource current = resources.get(key(r.organizationId(), r.resourceId()));
        if (current == null || current.version() != expected.version()) {
            throw concurrent();
        }
    }

    private void bump(StoredResource resource) {
        Resource r = resource.resource();
        resources.put(key(r.organizationId(), r.resourceId()), new StoredResource(r, resource.version() + 1));
    }

    private static ResourceException concurrent() {
        return ResourceException.conflict("CONCURRENT_CHANGE", "The resource changed meanwhile; retry.");
    }

    private static String grantKey(Grant grant) {
        return key(grant.organizationId(), grant.resourceId(), grant.granteeId());
    }

    private static String key(String... parts) {
        return String.join("/", parts);
    }
}
