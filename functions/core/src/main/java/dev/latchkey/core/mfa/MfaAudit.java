package dev.latchkey.core.mfa;

import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.util.Map;

/**
 * The audit events of second factors ({@code mfa.*}) and of the second login step ({@code auth.login.*}), in the
 * user's personal organization with the user as target. Details never hold a code, a secret or a token.
 */
final class MfaAudit {

    static final String ENROLMENT_STARTED = "mfa.totp.enrolment_started";
    static final String ENROLLED = "mfa.totp.enrolled";
    static final String VERIFIED = "mfa.verified";
    static final String VERIFY_FAILED = "mfa.verify_failed";
    static final String RECOVERY_CODE_USED = "mfa.recovery_code.used";
    static final String RECOVERY_CODES_REGENERATED = "mfa.recovery_codes.regenerated";
    static final String DISABLED = "mfa.disabled";
    static final String RESET_BY_ADMIN = "mfa.reset";
    static final String LOGIN_SUCCEEDED = "auth.login.succeeded";
    static final String LOGIN_FAILED = "auth.login.failed";

    private final AuditLog log;
    private final IdGenerator ids;
    private final Clock clock;

    MfaAudit(AuditLog log, IdGenerator ids, Clock clock) {
        this.log = log;
        this.ids = ids;
        this.clock = clock;
    }

    void record(String action, User user, Outcome outcome, Map<String, String> details, RequestOrigin origin) {
        record(action, user, Actor.user(user.id()), user.personalOrganizationId(), outcome, details, origin);
    }

    void record(String action, User user, Actor actor, String organizationId, Outcome outcome,
            Map<String, String> details, RequestOrigin origin) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock).action(action).outcome(outcome)
                .requestId(origin.requestId()).details(details).organizationId(organizationId).actor(actor)
                .target("user", user.id());
        origin.sourceIp().ifPresent(event::sourceIp);
        log.record(event.build());
    }
}
