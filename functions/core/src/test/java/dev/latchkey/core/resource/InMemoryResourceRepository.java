package dev.latchkey.core.resource;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ResourceDirectory} for unit tests (shared through the core test jar): each read sees the
 * latest change, like the table's strongly consistent reads. Counts reads.
 */
public class InMemoryResourceRepository implements ResourceDirectory {

    /** Resources by {@code orgId/resourceId}. */
    protected final Map<String, Resource> resources = new TreeMap<>();
    /** Resources by audience (the audience claims). */
    protected final Map<String, Resource> audiences = new TreeMap<>();
    /** Grants by {@code orgId/resourceId/granteeId}. */
    protected final Map<String, Grant> grants = new TreeMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    /** Stores a resource and its audience claim as they are (no checks: for arranging tests). */
    public synchronized InMemoryResourceRepository putResource(Resource resource) {
        resources.put(key(resource.organizationId(), resource.resourceId()), resource);
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

    /** How many reads ({@link #findByAudience}, {@link #grants}) were made. */
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

    /** The map key of the parts, joined by {@code /}. */
    protected static String key(String... parts) {
        return String.join("/", parts);
    }
}
