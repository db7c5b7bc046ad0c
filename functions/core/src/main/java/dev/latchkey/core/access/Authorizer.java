package dev.latchkey.core.access;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides every organization route (ARCHITECTURE.md §6): may this caller use this permission in this
 * organization? The organization id comes from the request path only.
 *
 * <ul>
 *   <li>A user: their membership's role, read at this request (one strongly consistent
 *       {@code GetItem}). No membership → 404, so a stranger learns nothing about whether the
 *       organization exists (SECURITY.md [8.2.2]). A role without the permission → 403.</li>
 *   <li>An API key: only in its own organization (another organization → 404), and only with the
 *       permission on the key itself → else 403.</li>
 *   <li>A member of an organization that requires a second factor ({@code require_mfa}) whose sign-in had none:
 *       refused before the permission is looked at, by the {@link OrganizationMfaPolicy} (403 {@code MFA_REQUIRED}
 *       with the enrolment link, or 401 {@code insufficient_user_authentication} when the user has a factor). The
 *       membership and the policy come from the same single read.</li>
 * </ul>
 * Every denial is audited ({@value #DENIED}) in the requested organization, with who, what and where
 * (SECURITY.md [16.3.2]); an organization id of the wrong shape is refused without an event.
 */
public final class Authorizer {

    /** The audit action of a denial. */
    public static final String DENIED = "authorization.denied";

    private static final Pattern ORGANIZATION_ID = Pattern.compile("org_[0-9A-HJKMNP-TV-Z]{26}");

    private final MembershipDirectory memberships;
    private final OrganizationMfaPolicy mfaPolicy;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param memberships roles of users, with their organization's {@code require_mfa}
     * @param mfaPolicy the organization's second-factor policy
     * @param audit where denials go
     * @param ids event ids
     * @param clock event times
     */
    public Authorizer(MembershipDirectory memberships, OrganizationMfaPolicy mfaPolicy, AuditLog audit,
            IdGenerator ids, Clock clock) {
        this.memberships = Objects.requireNonNull(memberships, "memberships");
        this.mfaPolicy = Objects.requireNonNull(mfaPolicy, "mfaPolicy");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Authorizes one request.
     *
     * @param caller the authenticated caller
     * @param organizationId the {@code {orgId}} of the path
     * @param permission the route's permission, one of {@link Permissions#LATCHKEY}
     * @param origin for the audit event of a denial
     * @return what the caller holds in the organization
     * @throws AccessException 404 {@code NOT_FOUND} for a foreign or malformed organization, 403
     *     {@code PERMISSION_DENIED} for a missing permission
     * @throws MfaRequiredException 403 {@code MFA_REQUIRED} / 401 {@code insufficient_user_authentication} for a
     *     member whose sign-in had no second factor when the organization requires one
     */
    public OrgAccess authorize(Caller caller, String organizationId, String permission, RequestOrigin origin) {
        if (!Permissions.isLatchkey(permission)) {
            throw new IllegalArgumentException("not a Latchkey permission: " + permission);
        }
        if (organizationId == null || !ORGANIZATION_ID.matcher(organizationId).matches()) {
            throw AccessException.notFound();
        }
        Optional<Set<String>> held;
        if (caller instanceof Caller.User user) {
            Optional<Membership> membership = memberships.membership(organizationId, user.userId());
            if (membership.isPresent()) {
                requireMfaPolicy(membership.get(), user, organizationId, permission, origin);
            }
            held = membership.map(m -> m.role().permissions());
        } else {
            Caller.ApiKey key = (Caller.ApiKey) caller;
            held = key.organizationId().equals(organizationId) ? Optional.of(key.permissions()) : Optional.empty();
        }
        if (held.isEmpty()) {
            deny(caller, organizationId, permission, "NOT_A_MEMBER", origin);
            throw AccessException.notFound();
        }
        if (!held.get().contains(permission)) {
            deny(caller, organizationId, permission, "MISSING_PERMISSION", origin);
            throw AccessException.permissionDenied(permission);
        }
        return new OrgAccess(organizationId, caller, held.get());
    }

    private void requireMfaPolicy(Membership membership, Caller.User user, String organizationId,
            String permission, RequestOrigin origin) {
        try {
            mfaPolicy.check(membership, user.userId(), user.amr());
        } catch (MfaRequiredException e) {
            deny(user, organizationId, permission, e.enrolled() ? "MFA_NOT_USED" : "MFA_NOT_ENROLLED", origin);
            throw e;
        }
    }

    private void deny(Caller caller, String organizationId, String permission, String reason, RequestOrigin origin) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .organizationId(organizationId)
                .actor(caller.actor())
                .action(DENIED)
                .target("organization", organizationId)
                .requestId(origin.requestId())
                .outcome(Outcome.FAILURE)
                .detail("permission", permission)
                .detail("reason", reason);
        origin.sourceIp().ifPresent(event::sourceIp);
        audit.record(event.build());
    }
}
