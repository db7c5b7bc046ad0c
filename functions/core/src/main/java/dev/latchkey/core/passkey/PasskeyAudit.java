package dev.latchkey.core.passkey;

import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The audit events of passkeys. A known user's event goes to the user's personal organization, with the user as
 * actor and the passkey (or, for a login, the user) as target; a login that never got to a user (unknown
 * challenge or credential) goes to the system partition, anonymous. Failures carry {@code reason}. Never a
 * credential id, challenge, email address or token.
 */
final class PasskeyAudit {

    static final String ADDED = "passkey.added";
    static final String REMOVED = "passkey.removed";
    static final String RENAMED = "passkey.renamed";
    static final String SUSPECTED_CLONE = "passkey.suspected_clone";
    static final String CLONE_CONFIRMED = "passkey.clone_confirmed";
    static final String LOGIN_SUCCEEDED = "auth.passkey.succeeded";
    static final String LOGIN_FAILED = "auth.passkey.failed";

    private final IdGenerator ids;
    private final Clock clock;

    PasskeyAudit(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    /** An event about a known user; the target is the passkey when given, else the user. */
    AuditEvent event(String action, User user, Optional<String> passkeyId, Outcome outcome,
            Map<String, String> details, RequestOrigin origin) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock).action(action).outcome(outcome)
                .requestId(origin.requestId()).details(details)
                .organizationId(user.personalOrganizationId()).actor(Actor.user(user.id()));
        if (passkeyId.isPresent()) {
            event.target("passkey", passkeyId.get());
        } else {
            event.target("user", user.id());
        }
        origin.sourceIp().ifPresent(event::sourceIp);
        return event.build();
    }

    /** An event that belongs to no user: the system partition, anonymous. */
    AuditEvent anonymous(String action, Outcome outcome, Map<String, String> details, RequestOrigin origin) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock).action(action).outcome(outcome)
                .requestId(origin.requestId()).details(details).actor(Actor.anonymous());
        origin.sourceIp().ifPresent(event::sourceIp);
        return event.build();
    }
}
