package dev.latchkey.core.client;

import dev.latchkey.core.audit.AuditEvent;
import java.util.Optional;

/**
 * Service clients and their credentials. {@link #find} is what the token endpoint needs: one strongly consistent
 * read of the client with every credential, so a revoked secret or key fails at once.
 *
 * <p>Every change is written together with its audit event, atomically, and only if the stored client is still
 * at the version the change was made from ({@code changed.version() - 1}); otherwise it throws
 * {@link ClientException} {@code CONFLICT} with reason {@value #CHANGED}, and the caller may read again and retry.
 */
public interface ClientRepository {

    /** The {@code CONFLICT} reason of a change that raced another one (or a client that vanished meanwhile). */
    String CHANGED = "CHANGED";

    /**
     * The client with every credential, revoked ones included.
     *
     * @return empty when there is no such client (or the id is malformed)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<ServiceClient> find(String clientId);

    /**
     * The client read again from the table when {@link #find} may have answered from a container cache
     * ({@link CachedClientRepository}): after a refusal, so that a secret or key added through another container
     * within the cache's TTL counts at once. Empty when {@link #find} always reads (nothing to read again).
     */
    default Optional<ServiceClient> reread(String clientId) {
        return Optional.empty();
    }

    /**
     * One page of an organization's clients, newest first, without their credentials. The index behind it is
     * eventually consistent: a client created a moment ago may be missing for about a second.
     *
     * @throws ClientException {@code VALIDATION_ERROR} for a cursor this store did not hand out for this
     *     organization
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    ClientPage list(String organizationId, ClientQuery query);

    /**
     * Stores a new client (version 0) with its credentials and the audit event, in one transaction that also
     * bumps the organization's {@code version}. Never overwrites.
     *
     * @throws ClientException {@code VALIDATION_ERROR} (field {@code allowed_resources}, reason
     *     {@code UNKNOWN_RESOURCE}) when an allowed resource is not a resource of the organization at that moment;
     *     {@code NOT_FOUND} when the organization is gone; {@code CONFLICT} when the id exists
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void create(ServiceClient client, AuditEvent event);

    /**
     * Writes a client's name and allowed resources (never its credentials).
     *
     * @throws ClientException {@code VALIDATION_ERROR} ({@code UNKNOWN_RESOURCE}) as in {@link #create};
     *     {@code CONFLICT} {@value #CHANGED}
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void update(ServiceClient changed, AuditEvent event);

    /**
     * Writes one credential of the client as it is in {@code changed} (a new secret, or a revocation): the
     * secret with id {@code secretId}.
     *
     * @throws ClientException {@code CONFLICT} {@value #CHANGED}
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void saveSecret(ServiceClient changed, String secretId, AuditEvent event);

    /**
     * Writes one key of the client as it is in {@code changed} (a new key, or a revocation).
     *
     * @throws ClientException {@code CONFLICT} {@value #CHANGED}
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void saveKey(ServiceClient changed, String keyId, AuditEvent event);

    /**
     * Deletes the client for ever if it is still at {@code client.version()}: the client, every credential it
     * has, and every grant to it in its organization ({@code GRANT#<resourceId>#<clientId>}), with the audit
     * event. The client, its credentials and the event go in one transaction; grants too as long as they fit in
     * it, the rest right after (a grant to a client that no longer exists gives nothing).
     *
     * @throws ClientException {@code CONFLICT} {@value #CHANGED}
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void delete(ServiceClient client, AuditEvent event);
}
