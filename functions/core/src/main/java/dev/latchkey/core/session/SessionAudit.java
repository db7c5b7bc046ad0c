package dev.latchkey.core.session;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit events of sessions (SECURITY.md "Input and failure": who, what, when, where; never a
 * token). Actions: {@code session.started}, {@code session.refreshed}, {@code session.refresh_failed},
 * {@code session.refresh_reuse_detected}, {@code session.revoked}.
 */
final class SessionAudit {

    static final String STARTED = "session.started";
    static final String REFRESHED = "session.refreshed";
    static final String REFRESH_FAILED = "session.refresh_failed";
    static final String REUSE_DETECTED = "session.refresh_reuse_detected";
    static final String REVOKED = "session.revoked";

    private static final Pattern SOURCE_IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:=+/-]{1,128}");

    private final AuditLog log;
    private final IdGenerator ids;
    private final Clock clock;

    SessionAudit(AuditLog log, IdGenerator ids, Clock clock) {
        this.log = log;
        this.ids = ids;
        this.clock = clock;
    }

    /** An event about a known session, by its user. */
    void record(String action, Session session, Outcome outcome, Map<String, String> details, String sourceIp,
            String requestId) {
        AuditEvent.Builder event = builder(action, sourceIp, requestId).organizationId(session.organizationId())
                .actor(Actor.user(session.userId())).target("session", session.sessionId()).outcome(outcome)
                .details(details);
        log.record(event.build());
    }

    /** A failed refresh with a token no session owns: no tenant, anonymous. */
    void unknownToken(String sourceIp, String requestId) {
        log.record(builder(REFRESH_FAILED, sourceIp, requestId).actor(Actor.anonymous()).outcome(Outcome.FAILURE)
                .detail("reason", "unknown_token").build());
    }

    private AuditEvent.Builder builder(String action, String sourceIp, String requestId) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock).action(action)
                .requestId(requestId != null && REQUEST_ID.matcher(requestId).matches() ? requestId : "unknown");
        if (sourceIp != null && SOURCE_IP.matcher(sourceIp).matches()) {
            event.sourceIp(sourceIp);
        }
        return event;
    }
}
