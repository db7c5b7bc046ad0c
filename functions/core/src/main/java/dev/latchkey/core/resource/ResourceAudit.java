package dev.latchkey.core.resource;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.util.Map;

/**
 * The audit events of resources and grants: target {@code resource/<resourceId>}, in the resource's organization.
 * Details carry ids and counts only — never an audience or a name (free text a person typed).
 */
final class ResourceAudit {

    static final String CREATED = "resource.created";
    static final String UPDATED = "resource.updated";
    static final String DELETED = "resource.deleted";
    static final String GRANT_SET = "grant.set";
    static final String GRANT_REMOVED = "grant.removed";

    private final IdGenerator ids;
    private final Clock clock;

    ResourceAudit(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    AuditEvent event(String action, OrgAccess access, String resourceId, RequestOrigin origin,
            Map<String, String> details) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .organizationId(access.organizationId())
                .actor(access.caller().actor())
                .action(action)
                .target("resource", resourceId)
                .requestId(origin.requestId())
                .outcome(Outcome.SUCCESS)
                .details(details);
        origin.sourceIp().ifPresent(event::sourceIp);
        return event.build();
    }
}
