/**
 * The audit log: {@link dev.latchkey.core.audit.AuditEvent} (who did what to what, when, from where,
 * with which outcome), the append-only port {@link dev.latchkey.core.audit.AuditLog}, and its query
 * model ({@link dev.latchkey.core.audit.AuditQuery}, {@link dev.latchkey.core.audit.AuditPage},
 * {@link dev.latchkey.core.audit.AuditCursor}).
 *
 * <p>Decisions, each documented where it is enforced:
 * <ul>
 *   <li>No secrets and no email addresses in an event ({@link dev.latchkey.core.audit.AuditDetails});
 *       users are named by user id.</li>
 *   <li>Events without an organization (failed login for an unknown email, key rotation) are kept
 *       under the scope {@link dev.latchkey.core.audit.AuditLog#NO_ORGANIZATION} and read only by
 *       operators through {@link dev.latchkey.core.audit.AuditLog#findWithoutOrganization}.</li>
 *   <li>A query covers at most {@value dev.latchkey.core.audit.AuditQuery#MAX_MONTHS} UTC calendar
 *       months; pages hold 1–{@value dev.latchkey.core.audit.AuditQuery#MAX_LIMIT} events, newest
 *       first, and continue through an opaque cursor bound to the query's scope.</li>
 *   <li>Retention is a deployment decision: the log itself never deletes.</li>
 * </ul>
 */
package dev.latchkey.core.audit;
