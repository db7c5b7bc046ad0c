package dev.latchkey.core.client;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.store.RecordCache;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ClientRepository} whose {@link #find} is served from a {@link RecordCache} (the token path's client
 * lookup; {@code LATCHKEY_TOKEN_CACHE_SECONDS}). Every write goes to the table and clears the cache first and after,
 * so a change made through this container counts at once; one made elsewhere counts within the TTL (a deleted
 * client, a revoked secret or key then still authenticates here for at most that long; docs/security.md), except
 * a credential added elsewhere: a refused secret or assertion reads the client again ({@link #reread}) first.
 */
public final class CachedClientRepository implements ClientRepository {

    private final ClientRepository table;
    private final RecordCache<String, ServiceClient> cache;

    /**
     * @param table the repository in the table
     * @param cache the cache (TTL 0: every find reads)
     */
    public CachedClientRepository(ClientRepository table, RecordCache<String, ServiceClient> cache) {
        this.table = Objects.requireNonNull(table, "table");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public Optional<ServiceClient> find(String clientId) {
        return cache.get(clientId, () -> table.find(clientId));
    }

    @Override
    public Optional<ServiceClient> reread(String clientId) {
        return cache.reread(clientId, () -> table.find(clientId));
    }

    @Override
    public ClientPage list(String organizationId, ClientQuery query) {
        return table.list(organizationId, query);
    }

    @Override
    public void create(ServiceClient client, AuditEvent event) {
        write(() -> table.create(client, event));
    }

    @Override
    public void update(ServiceClient changed, AuditEvent event) {
        write(() -> table.update(changed, event));
    }

    @Override
    public void saveSecret(ServiceClient changed, String secretId, AuditEvent event) {
        write(() -> table.saveSecret(changed, secretId, event));
    }

    @Override
    public void saveKey(ServiceClient changed, String keyId, AuditEvent event) {
        write(() -> table.saveKey(changed, keyId, event));
    }

    @Override
    public void delete(ServiceClient client, AuditEvent event) {
        write(() -> table.delete(client, event));
    }

    private void write(Runnable write) {
        cache.clear();
        try {
            write.run();
        } finally {
            cache.clear();
        }
    }
}
