package dev.latchkey.core.org;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The audit events of organizations, members and invitations, in the organization concerned. Targets are ids;
 * details are roles and counts: never a name, an email address or a token.
 */
final class OrgAudit {

    static final String ORG_CREATED = "org.created";
    static final String ORG_RENAMED = "org.renamed";
    static final String ORG_MFA_POLICY_CHANGED = "org.mfa_policy_changed";
    static final String ORG_DELETED = "org.deleted";
    static final String MEMBER_ROLE_CHANGED = "member.role_changed";
    static final String MEMBER_REMOVED = "member.removed";
    static final String MEMBER_LEFT = "member.left";
    static final String INVITATION_CREATED = "invitation.created";
    static final String INVITATION_REVOKED = "invitation.revoked";
    static final String INVITATION_ACCEPTED = "invitation.accepted";

    private final IdGenerator ids;
    private final Clock clock;

    OrgAudit(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    AuditEvent event(String action, Actor actor, String organizationId, String targetType, String targetId,
            Instant at, RequestOrigin origin, Map<String, String> details) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .occurredAt(at)
                .organizationId(organizationId)
                .actor(actor)
                .action(action)
                .target(targetType, targetId)
                .requestId(origin.requestId())
                .details(details);
        origin.sourceIp().ifPresent(event::sourceIp);
        return event.build();
    }
}
