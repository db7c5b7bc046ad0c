package dev.latchkey.core.client;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The audit events of service clients, in the client's organization. Targets are {@code client/<cli_…>},
 * {@code client_secret/<cs_…>} or {@code client_key/<ck_…>} (then with the client id in {@code client_id});
 * details are counts, algorithms and field names: never a name, a secret, a hash or key material.
 */
final class ClientAudit {

    static final String CREATED = "client.created";
    static final String UPDATED = "client.updated";
    static final String DELETED = "client.deleted";
    static final String SECRET_ADDED = "client.secret_added";
    static final String SECRET_REVOKED = "client.secret_revoked";
    static final String KEY_ADDED = "client.key_added";
    static final String KEY_REVOKED = "client.key_revoked";

    static final String CLIENT = "client";
    static final String CLIENT_SECRET = "client_secret";
    static final String CLIENT_KEY = "client_key";

    private final IdGenerator ids;
    private final Clock clock;

    ClientAudit(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    AuditEvent event(String action, Caller caller, String organizationId, String targetType, String targetId,
            Instant at, RequestOrigin origin, Map<String, String> details) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .occurredAt(at)
                .organizationId(organizationId)
                .actor(caller.actor())
                .action(action)
                .target(targetType, targetId)
                .requestId(origin.requestId())
                .details(details);
        origin.sourceIp().ifPresent(event::sourceIp);
        return event.build();
    }
}
