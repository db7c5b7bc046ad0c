package dev.latchkey.core.resource;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.store.RecordCache;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ResourceRepository} whose token-path reads — {@link #findByAudience} and {@link #grants}, what
 * {@link GrantedScopes} resolves an audience with — are served from {@link RecordCache}s
 * ({@code LATCHKEY_TOKEN_CACHE_SECONDS}). Every write goes to the table and clears both caches first and after, so
 * a change made through this container counts at once; one made elsewhere (a revoked grant, a deleted resource)
 * counts within the TTL. The management reads ({@link #find}, {@link #list}) always read.
 */
public final class CachedResourceRepository implements ResourceRepository {

    private final ResourceRepository table;
    private final RecordCache<String, Resource> byAudience;
    private final RecordCache<String, List<Grant>> grants;

    /**
     * @param table the repository in the table
     * @param byAudience resources by audience
     * @param grants a resource's grants, by {@code organizationId + " " + resourceId}
     */
    public CachedResourceRepository(ResourceRepository table, RecordCache<String, Resource> byAudience,
            RecordCache<String, List<Grant>> grants) {
        this.table = Objects.requireNonNull(table, "table");
        this.byAudience = Objects.requireNonNull(byAudience, "byAudience");
        this.grants = Objects.requireNonNull(grants, "grants");
    }

    @Override
    public Optional<Resource> findByAudience(String audience) {
        return byAudience.get(audience, () -> table.findByAudience(audience));
    }

    @Override
    public List<Grant> grants(String organizationId, String resourceId) {
        return grants.get(organizationId + " " + resourceId,
                () -> Optional.of(table.grants(organizationId, resourceId))).orElseThrow();
    }

    @Override
    public void create(Resource resource, AuditEvent event) {
        write(() -> table.create(resource, event));
    }

    @Override
    public Optional<StoredResource> find(String organizationId, String resourceId) {
        return table.find(organizationId, resourceId);
    }

    @Override
    public List<Resource> list(String organizationId) {
        return table.list(organizationId);
    }

    @Override
    public void update(StoredResource before, Resource after, List<Grant> rewritten, List<Grant> removed,
            AuditEvent event) {
        write(() -> table.update(before, after, rewritten, removed, event));
    }

    @Override
    public void delete(StoredResource resource, List<Grant> grantsRead, AuditEvent event) {
        write(() -> table.delete(resource, grantsRead, event));
    }

    @Override
    public void putGrant(StoredResource resource, Grant grant, AuditEvent event) {
        write(() -> table.putGrant(resource, grant, event));
    }

    @Override
    public void deleteGrant(StoredResource resource, Grant grant, AuditEvent event) {
        write(() -> table.deleteGrant(resource, grant, event));
    }

    private void write(Runnable write) {
        byAudience.clear();
        grants.clear();
        try {
            write.run();
        } finally {
            byAudience.clear();
            grants.clear();
        }
    }
}
