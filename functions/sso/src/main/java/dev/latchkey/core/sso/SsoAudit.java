package dev.latchkey.core.sso;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The audit events of the hosted pages' security decisions, each in the organization of the user's Latchkey session
 * (as the login events), with the user as actor: {@value #SIGNED_IN} (target the Latchkey session, details
 * {@code amr}, {@code replaced_previous}), {@value #CONSENT_GRANTED} and {@value #CONSENT_DENIED} (target the
 * application, detail {@code scopes}), {@value #LOGGED_OUT} (RP-initiated logout; target the Latchkey session,
 * details {@code client_id} when known and {@code confirmed_by} {@code id_token_hint} or {@code form}). Never a
 * cookie, a token or an email address.
 */
final class SsoAudit {

    static final String SIGNED_IN = "sso.signed_in";
    static final String CONSENT_GRANTED = "consent.granted";
    static final String CONSENT_DENIED = "consent.denied";
    static final String LOGGED_OUT = "sso.logged_out";

    private final AuditLog log;
    private final IdGenerator ids;
    private final Clock clock;

    SsoAudit(AuditLog log, IdGenerator ids, Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void record(String action, String organizationId, String userId, String targetType, String targetId,
            Map<String, String> details, String sourceIp, String requestId) {
        RequestOrigin origin = RequestOrigin.of(sourceIp, requestId);
        AuditEvent.Builder event = AuditEvent.builder(ids, clock).action(action).organizationId(organizationId)
                .actor(Actor.user(userId)).target(targetType, targetId).requestId(origin.requestId())
                .details(details);
        origin.sourceIp().ifPresent(event::sourceIp);
        log.record(event.build());
    }
}
