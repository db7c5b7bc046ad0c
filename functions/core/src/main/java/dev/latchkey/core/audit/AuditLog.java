package dev.latchkey.core.audit;

/**
 * The append-only audit log (OWASP ASVS 5.0 §16.3: who did what, when, from where, with what
 * outcome; §16.4: protected from change). There is no update and no delete: an event, once
 * recorded, stays as written until the deployment's retention removes it.
 *
 * <p><b>Tenancy.</b> Each organization's events are read only through {@link #find} with that
 * organization's id; events that belong to no organization (a failed login for an unknown email, a
 * key rotation) live apart under {@link #NO_ORGANIZATION} and are read only through
 * {@link #findWithoutOrganization}, which is for operators and must not be reachable from a
 * tenant's route. A cursor from one scope is refused in every other.
 */
public interface AuditLog {

    /**
     * The scope of events without an organization. Never an organization id (those start with
     * {@code org_}), so it cannot collide with a tenant.
     */
    String NO_ORGANIZATION = "system";

    /**
     * Appends one event. Call it after the audited change is committed, and let a failure fail the
     * request (fail closed): an attempt that cannot be audited is not allowed to succeed silently.
     *
     * @throws AuditException {@code CONFLICT} when the same event was recorded before (nothing is overwritten)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot be reached
     */
    void record(AuditEvent event);

    /**
     * One page of an organization's events, newest first; see {@link AuditQuery} for the filters and
     * {@link AuditPage} for paging.
     *
     * @param organizationId the tenant ({@code org_…}), taken from the authorized request path
     * @throws AuditException {@code VALIDATION_ERROR} for a bad organization id, a range over
     *     {@value AuditQuery#MAX_MONTHS} months, or a tampered or foreign cursor
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot be reached
     */
    AuditPage find(String organizationId, AuditQuery query);

    /**
     * One page of the events that belong to no organization, newest first. Operators only.
     *
     * @throws AuditException {@code VALIDATION_ERROR} as for {@link #find}
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot be reached
     */
    AuditPage findWithoutOrganization(AuditQuery query);

    /**
     * The scope {@link #find} reads for {@code organizationId}.
     *
     * @throws AuditException {@code VALIDATION_ERROR} when it is not an organization id
     */
    static String scopeOf(String organizationId) {
        if (!AuditIds.isOrganizationId(organizationId)) {
            throw AuditException.invalid("organization_id", "Organization id has an unexpected shape.");
        }
        return organizationId;
    }
}
