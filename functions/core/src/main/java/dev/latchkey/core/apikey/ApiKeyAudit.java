package dev.latchkey.core.apikey;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.util.Map;

/** The audit events of API keys: target {@code api_key/<keyId>}, in the key's organization. No secret, no hash. */
final class ApiKeyAudit {

    static final String CREATED = "api_key.created";
    static final String REVOKED = "api_key.revoked";
    static final String ROLLED = "api_key.rolled";
    static final String DELETED = "api_key.deleted";
    static final String EXCHANGED = "api_key.exchanged";
    static final String EXCHANGE_FAILED = "api_key.exchange_failed";
    static final String CREDITS_CHANGED = "api_key.credits_changed";
    static final String IP_DENIED = "api_key.ip_denied";
    static final String UPDATED = "api_key.updated";

    private final IdGenerator ids;
    private final Clock clock;

    ApiKeyAudit(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    AuditEvent event(String action, Caller caller, String organizationId, String keyId, RequestOrigin origin,
            Map<String, String> details) {
        return event(action, caller.actor(), organizationId, keyId, Outcome.SUCCESS, origin, details);
    }

    AuditEvent event(String action, Actor actor, String organizationId, String keyId, Outcome outcome,
            RequestOrigin origin, Map<String, String> details) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .organizationId(organizationId)
                .actor(actor)
                .action(action)
                .target("api_key", keyId)
                .requestId(origin.requestId())
                .outcome(outcome)
                .details(details);
        origin.sourceIp().ifPresent(event::sourceIp);
        return event.build();
    }
}
