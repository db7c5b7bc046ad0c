package dev.latchkey.core.apikey;

import dev.latchkey.core.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where API keys live. Every change is written together with its audit event, atomically; every read
 * of one key is strongly consistent so that a revocation or deletion counts on the next verify.
 */
public interface ApiKeyRepository {

    /**
     * Stores a new key and its audit event in one transaction. A key made by a key (its
     * {@link ApiKey#ancestors() ancestors} not empty) is stored only while its maker (the last ancestor) exists in
     * the organization and is not revoked, and the same transaction bumps the maker's {@code version}: so a
     * revocation of the maker's family that read the family before this key was added fails its condition and
     * reads again, and one that committed first makes this create fail — no child ever escapes its maker.
     *
     * @throws ApiKeyException {@code CONFLICT} when the id exists (never overwrites), {@code CONFLICT MAKER_REVOKED}
     *     when the maker was revoked or deleted meanwhile; {@code NOT_FOUND}
     *     ({@link ApiKeyException#organizationNotFound}) when the key's organization does not exist (it was deleted
     *     meanwhile), so no key outlives its organization
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void create(ApiKey key, AuditEvent event);

    /**
     * Every stored key the given key made, directly or through other keys (those whose
     * {@link ApiKey#ancestors() ancestors} name it), read strongly consistently, deepest generation first.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    List<ApiKey> descendants(ApiKey key);

    /**
     * Writes several keys' revocations with their audit events, each conditioned like {@link #update} on its
     * version. All or nothing when they fit one transaction ({@link #ATOMIC_CHANGES} changes); a larger family is
     * written in several transactions in the given order — descendants first, the key asked for last — so a failure
     * midway leaves some descendants revoked and their ancestor not, never the other way round, and a retry
     * finishes the job.
     *
     * @param changes deepest descendants first, the key the caller named last
     * @throws ApiKeyException {@code CONFLICT CONCURRENT_CHANGE} when any of them changed or vanished meanwhile
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void revoke(List<ApiKeyChange> changes);

    /** How many key changes {@link #revoke} and {@link #delete} write in one transaction, atomically. */
    int ATOMIC_CHANGES = 48;

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
     * Deletes a key for ever, if it is still at the version read and still belongs to its organization, together
     * with the audit event and the revocation of its descendants (as {@link #revoke}: atomic up to
     * {@link #ATOMIC_CHANGES}, else descendants first and the delete last).
     *
     * @param key the key as read
     * @param revokedDescendants its descendants not yet revoked, revoked, deepest first
     * @throws ApiKeyException {@code NOT_FOUND} when there is no such key in the organization; {@code CONFLICT
     *     CONCURRENT_CHANGE} when it or a descendant changed meanwhile (a key was made by it, say)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void delete(ApiKey key, List<ApiKeyChange> revokedDescendants, AuditEvent event);

    /**
     * Adds {@code uses} to the key's use count and moves {@code last_used_at} forward to
     * {@code lastUsedAt} (never back). Does nothing for a deleted key (never re-creates it).
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void recordUsage(String keyId, long uses, Instant lastUsedAt);
}
