package dev.latchkey.core.apikey;

import dev.latchkey.core.audit.AuditEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * Where API keys live. Every change is written together with its audit event, atomically; every read
 * of one key is strongly consistent so that a revocation or deletion counts on the next verify.
 */
public interface ApiKeyRepository {

    /**
     * Stores a new key and its audit event in one transaction.
     *
     * @throws ApiKeyException {@code CONFLICT} when the id exists (never overwrites); {@code NOT_FOUND}
     *     ({@link ApiKeyException#organizationNotFound}) when the key's organization does not exist (it was deleted
     *     meanwhile), so no key outlives its organization
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void create(ApiKey key, AuditEvent event);

    /**
     * One key by id: one strongly consistent read.
     *
     * @return empty when there is none
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<ApiKey> find(String keyId);

    /**
     * One page of an organization's keys, newest first. The index behind it is eventually consistent:
     * a key created or revoked a moment ago may show its older state for about a second.
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} for a cursor this store did not hand out for this
     *     organization
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    ApiKeyPage list(String organizationId, ApiKeyQuery query);

    /**
     * Writes a key's revocation and secrets (nothing else: usage counters are untouched) if its version
     * is still {@code updated.version() - 1}, together with the audit event.
     *
     * @throws ApiKeyException {@code CONFLICT} when the key changed or vanished meanwhile
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void update(ApiKey updated, AuditEvent event);

    /**
     * Deletes a key for ever, if it still belongs to the organization, together with the audit event.
     *
     * @throws ApiKeyException {@code NOT_FOUND} when there is no such key in the organization
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void delete(String keyId, String organizationId, AuditEvent event);

    /**
     * Adds {@code uses} to the key's use count and moves {@code last_used_at} forward to
     * {@code lastUsedAt} (never back). Does nothing for a deleted key (never re-creates it).
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void recordUsage(String keyId, long uses, Instant lastUsedAt);
}
