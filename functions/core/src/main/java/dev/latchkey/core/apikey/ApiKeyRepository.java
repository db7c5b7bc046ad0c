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
     * {@link ApiKey#ancestors() ancestors} not empty) is stored only while every ancestor exists in the organization,
     * unrevoked and not {@link #freezeFamily frozen} (checked in the same transaction): so once a revocation froze a
     * family, no key can join it, and the family it then reads is the whole family.
     * No key ever escapes a maker's revocation, however fast keys are made meanwhile.
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
     * Marks the key so that no key can be made under it any more (by it or any of its descendants): the first step of
     * its revocation or delete, before its family is read. Idempotent; a frozen key still verifies until it is
     * revoked.
     *
     * @throws ApiKeyException {@code NOT_FOUND} when the key is gone
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void freezeFamily(ApiKey key);

    /**
     * Writes several keys' revocations (revocation and {@code version} only: a roll meanwhile is kept) with their
     * audit events, each conditioned on the key still existing unrevoked. All or nothing when they fit one
     * transaction ({@link #ATOMIC_CHANGES} changes); a larger family is written in several transactions in the given
     * order — descendants first, the named key last — so a failure midway leaves some descendants revoked and their
     * ancestor not, never the other way round, and a retry finishes the job.
     *
     * @param key the key the caller named, {@link #freezeFamily frozen} before its descendants were read
     * @param changes deepest descendants first, then (unless it is revoked already) {@code key} revoked
     * @throws ApiKeyException {@code CONFLICT CONCURRENT_CHANGE} when one of them was revoked or deleted meanwhile
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void revoke(ApiKey key, List<ApiKeyChange> changes);

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
     * Deletes a key for ever, if it still belongs to its organization, together with the audit event and the
     * revocation of its descendants (as {@link #revoke}: atomic up to {@link #ATOMIC_CHANGES}, else descendants first
     * and the delete last).
     *
     * @param key the key as read, {@link #freezeFamily frozen} before its descendants were read
     * @param revokedDescendants its descendants not yet revoked, revoked, deepest first
     * @throws ApiKeyException {@code NOT_FOUND} when there is no such key in the organization; {@code CONFLICT
     *     CONCURRENT_CHANGE} when a descendant was revoked or deleted meanwhile
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

    /**
     * Spends {@code cost} credits of a key with credits, atomically: never below zero, however many verifies run at
     * once (docs/api-keys.md "Usage credits"). When {@link ApiKeyCredits#dueRefill a refill is due} at {@code now}, the
     * same write applies it first (sets the credits to the refill's amount, once per period). Does nothing for a
     * deleted key.
     *
     * @param key the key as read (its credits decide whether a refill is due)
     * @param cost 1–{@value ApiKeyCredits#MAX}
     * @return the credits left after spending, or empty when fewer than {@code cost} were left (nothing spent)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    java.util.OptionalLong spendCredits(ApiKey key, long cost, Instant now);

    /**
     * Counts {@code limitCost} requests against the key's own rate limit {@code limit} and spends {@code cost}
     * credits, in one conditional write on the key's item (docs/api-keys.md "One write for credits and the key's own
     * limit"): the limit's current fixed window is kept on the item ({@link ApiKeyCredits#windows}), so the write
     * succeeds only when the window's count stays within the limit and enough credits are left — both or nothing,
     * however many verifies run at once. A due refill is applied by the same write, as in {@link #spendCredits}. A
     * write that loses a race on the window's start or the refill is made again from the state the failed write
     * found (a second request, only then); a refusal is told from what the failed write found, with no read. A
     * refusal by the key as read (its window full, or fewer credits than {@code cost}, or none) makes no write at
     * all; the limit is told first.
     *
     * @param key the key as read, with credits (its windows and credits decide the first write's form)
     * @param limit the key's own limit that the verify applies
     * @param limitCost 0–{@value dev.latchkey.core.ratelimit.RateLimiter#MAX_COST}, at most the limit
     * @param cost 0–{@value ApiKeyCredits#MAX}
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    MeteredSpend spendWithinLimit(ApiKey key, NamedRateLimit limit, int limitCost, long cost, Instant now);

    /**
     * Sets (or, with empty, removes) a key's credits, if it still exists in its organization, with the audit event.
     *
     * @throws ApiKeyException {@code NOT_FOUND} when the key is gone
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void setCredits(ApiKey key, Optional<ApiKeyCredits> credits, AuditEvent event);

    /**
     * Adds credits to a key that has credits, atomically (verifies spending meanwhile are kept), with the audit event.
     *
     * @throws ApiKeyException {@code NOT_FOUND} when the key is gone; {@code CONFLICT NO_CREDITS} when it has no
     *     credits (it is unlimited), or the sum would pass {@value ApiKeyCredits#MAX}
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void addCredits(ApiKey key, long amount, AuditEvent event);

    /**
     * Writes a key's changed settings — its default and named rate limits, allow-list, external id and meta, and the
     * version — if its version is still {@code before.version()} and it is in its organization, together with the
     * audit event and, when the external id changes, the move of its index item (the old one deleted, the new one
     * put): all in one transaction, so a list by external id never sees the key under both ids or under none.
     *
     * @param before the key as read
     * @param after the key to store ({@code version} one more)
     * @throws ApiKeyException {@code CONFLICT CONCURRENT_CHANGE} when the key changed or vanished meanwhile
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void updateSettings(ApiKey before, ApiKey after, AuditEvent event);

    /**
     * The organization's keys with this external id (docs/api-keys.md "Owner metadata"), newest first, at most
     * {@code limit}: read through an index item written with each key, strongly consistent.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    List<ApiKey> findByExternalId(String organizationId, String externalId, int limit);
}
