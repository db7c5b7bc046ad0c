package dev.latchkey.core.login;

import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The audit events of password login and password management. A known user's event goes to the
 * user's personal organization, with the user as actor and target; an unknown account's to the
 * system partition, anonymous, with the throttle's account key (a hash) — never the address.
 */
final class LoginAudit {

    static final String LOGIN_SUCCEEDED = "auth.login.succeeded";
    static final String LOGIN_FAILED = "auth.login.failed";
    static final String LOGIN_MFA_REQUIRED = "auth.login.mfa_required";
    static final String PASSWORD_CHANGED = "auth.password.changed";
    static final String PASSWORD_RESET = "auth.password.reset";
    static final String RESET_REQUESTED = "auth.password.reset_requested";

    private final AuditLog log;
    private final IdGenerator ids;
    private final Clock clock;

    LoginAudit(AuditLog log, IdGenerator ids, Clock clock) {
        this.log = log;
        this.ids = ids;
        this.clock = clock;
    }

    void record(String action, Optional<User> user, String accountKey, Outcome outcome, Map<String, String> details,
            RequestOrigin origin) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock).action(action).outcome(outcome)
                .requestId(origin.requestId()).details(details);
        origin.sourceIp().ifPresent(event::sourceIp);
        if (user.isPresent()) {
            event.organizationId(user.get().personalOrganizationId()).actor(Actor.user(user.get().id()))
                    .target("user", user.get().id());
        } else {
            event.actor(Actor.anonymous()).detail("account", accountKey);
        }
        log.record(event.build());
    }
}
