package dev.latchkey.core.application;

import dev.latchkey.core.audit.AuditEvent;
import java.util.List;
import java.util.Optional;

/**
 * Where applications live. {@link #find} is what the authorization and token endpoints need: one strongly
 * consistent read of the application with every credential, so a revoked secret or key, or a removed redirect URI,
 * fails at once.
 *
 * <p>Every change is written together with its audit event, atomically, and only if the stored application is still
 * at the version the change was made from ({@code changed.version() - 1}); otherwise it throws
 * {@link ApplicationException} {@code CONFLICT}, and the caller may read again and retry.
 */
public interface Applications {

    /**
     * The application with every credential, revoked ones included.
     *
     * @return empty when there is no such application (or the id is malformed)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<Application> find(String clientId);

    /**
     * An organization's applications, newest first, at most {@code limit}, without their credentials. The index
     * behind it is eventually consistent: one created a moment ago may be missing for about a second.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    List<Application> list(String organizationId, int limit);

    /**
     * Stores a new application (version 0) with its credentials and the audit event, in one transaction that
     * checks that the organization exists. Never overwrites.
     *
     * @throws ApplicationException {@code NOT_FOUND} when the organization is gone; {@code CONFLICT} when the id
     *     exists
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void create(Application application, AuditEvent event);

    /**
     * Writes the application as it is in {@code changed} (settings or credentials).
     *
     * @throws ApplicationException {@code CONFLICT} when it changed or vanished meanwhile
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void update(Application changed, AuditEvent event);

    /**
     * Deletes the application for ever if it is still at {@code application.version()}, with the audit event.
     *
     * @throws ApplicationException {@code CONFLICT} when it changed or vanished meanwhile
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void delete(Application application, AuditEvent event);
}
