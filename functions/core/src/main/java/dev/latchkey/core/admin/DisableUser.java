package dev.latchkey.core.admin;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.session.EndAllSessions;
import dev.latchkey.core.session.SessionEndReason;
import java.time.Clock;
import java.util.Objects;

/**
 * {@code latchkey user disable|enable} (issue 18). A disabled account ({@link User#disabled()}) cannot log in with a
 * password ({@code PasswordLogin}: the same 401 as a wrong password) or a passkey ({@code FinishPasskeyLogin}),
 * cannot redeem a password-reset token ({@code ResetPassword}) and cannot refresh ({@code UserProfiles} finds no
 * such user); disabling also ends every session at once, so its access tokens fail the liveness check of every
 * management route. Its data, memberships and keys stay; enabling restores sign-in (sessions do not come back).
 */
public final class DisableUser {

    /** The audit action of a disable. */
    public static final String DISABLED = "account.disabled";
    /** The audit action of an enable. */
    public static final String ENABLED = "account.enabled";

    private final UserRepository users;
    private final EndAllSessions endAll;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param users the accounts
     * @param endAll ends the sessions of a disabled user
     * @param audit where {@code account.disabled} and {@code account.enabled} go
     * @param ids event ids
     * @param clock the time source
     */
    public DisableUser(UserRepository users, EndAllSessions endAll, AuditLog audit, IdGenerator ids, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.endAll = Objects.requireNonNull(endAll, "endAll");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Disables the account and ends its sessions.
     *
     * @return how many sessions ended
     * @throws AdminException 404 for an unknown user
     */
    public int disable(String userId, String requestId) {
        User user = users.findById(userId).orElseThrow(() -> AdminException.notFound("user"));
        if (!users.setDisabled(userId, true)) {
            throw AdminException.notFound("user");
        }
        int ended = endAll.endAll(userId, SessionEndReason.USER_DISABLED, "", requestId);
        record(user, DISABLED, requestId);
        return ended;
    }

    /**
     * Enables the account again.
     *
     * @throws AdminException 404 for an unknown user
     */
    public void enable(String userId, String requestId) {
        User user = users.findById(userId).orElseThrow(() -> AdminException.notFound("user"));
        if (!users.setDisabled(userId, false)) {
            throw AdminException.notFound("user");
        }
        record(user, ENABLED, requestId);
    }

    private void record(User user, String action, String requestId) {
        audit.record(AuditEvent.builder(ids, clock).organizationId(user.personalOrganizationId())
                .actor(BootstrapDeployment.OPERATOR).action(action).target("user", user.id()).requestId(requestId)
                .build());
    }
}
