package dev.latchkey.core.login;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.EndSessionById;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionException;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.token.InvalidTokenException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Password change (API.md {@code POST /v1/users/me/password}) by a caller with a valid access token.
 *
 * <p>Steps: the current password goes through the same {@link LoginThrottle} as a login (a stolen
 * access token cannot be used to guess the password faster) and exactly one Argon2id verification
 * (dummy while locked); a wrong one is 401 and counted. Then the new password must pass
 * {@link PasswordPolicy#accept}; it is stored with one conditional write on the old hash; <em>every</em> session of
 * the user is ended, the caller's too (SECURITY.md [7.4.1], issue 11 §1: an access token stolen from the caller's own
 * session must die with the old password as well), so the caller signs in again with the new one;
 * {@code auth.password.changed} is audited (failures too, with outcome FAILURE).
 */
public final class ChangePassword {

    private final UserRepository users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SessionRepository sessions;
    private final EndSessionById endSession;
    private final LoginAudit audit;

    /**
     * @param users the accounts
     * @param policy checks the new password
     * @param hasher verifies the current and hashes the new password
     * @param throttle counts wrong current passwords like failed logins
     * @param sessions finds the user's sessions
     * @param endSession ends each session (audits {@code session.revoked})
     * @param auditLog where {@code auth.password.changed} goes
     * @param ids event ids
     * @param clock the time source
     */
    public ChangePassword(UserRepository users, PasswordPolicy policy, PasswordHasher hasher, LoginThrottle throttle,
            SessionRepository sessions, EndSessionById endSession, AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.endSession = Objects.requireNonNull(endSession, "endSession");
        this.audit = new LoginAudit(auditLog, ids, clock);
    }

    /**
     * Changes the caller's password.
     *
     * @return how many sessions were ended, the caller's included
     * @throws AccountException 400 for a missing field or a refused new password
     * @throws LoginException 401 {@link LoginException#currentPasswordIncorrect()} (also while locked)
     * @throws InvalidTokenException 401 when the token's user no longer exists
     * @throws dev.latchkey.core.ratelimit.RateLimitedException 429 when the source IP is over its window
     * @throws dev.latchkey.core.store.StoreUnavailableException 503 when the store cannot answer
     */
    public int change(AuthenticatedUser caller, String currentPassword, String newPassword, RequestOrigin origin) {
        if (currentPassword == null) {
            throw AccountException.required("current_password");
        }
        if (newPassword == null) {
            throw AccountException.required("new_password");
        }
        User user = users.findById(caller.userId())
                .orElseThrow(() -> new InvalidTokenException(InvalidTokenException.Reason.INVALID_CLAIM));
        String current = policy.normalize(currentPassword);
        String accountKey = LoginThrottle.accountKey(user.email().canonical());
        boolean admitted = throttle.admit(origin.sourceIp().orElse("unknown"), accountKey);
        boolean matches;
        if (admitted) {
            matches = hasher.verify(user.passwordHash(), current).matches();
        } else {
            hasher.verifyDummy(current);
            matches = false;
        }
        if (!matches) {
            if (admitted) {
                throttle.failed(accountKey);
            }
            audit.record(LoginAudit.PASSWORD_CHANGED, Optional.of(user), accountKey, Outcome.FAILURE,
                    Map.of("reason", admitted ? "wrong_password" : "locked"), origin);
            throw LoginException.currentPasswordIncorrect();
        }
        throttle.succeeded(accountKey);
        String accepted = policy.accept(newPassword, PasswordPolicy.contextWords(user.email(), List.of(user.name())));
        if (!users.replacePasswordHash(user.id(), user.passwordHash(), hasher.hash(accepted))) {
            // Changed or reset in between: the password just verified is no longer the current one.
            throw LoginException.currentPasswordIncorrect();
        }
        int ended = endEverySession(caller, origin);
        audit.record(LoginAudit.PASSWORD_CHANGED, Optional.of(user), accountKey, Outcome.SUCCESS,
                Map.of("sessions_ended", Integer.toString(ended)), origin);
        return ended;
    }

    private int endEverySession(AuthenticatedUser caller, RequestOrigin origin) {
        int ended = 0;
        for (Session session : sessions.findByUser(caller.userId())) {
            if (session.status() != SessionStatus.ACTIVE) {
                continue;
            }
            try {
                endSession.end(caller.userId(), session.sessionId(), origin.sourceIp().orElse(""),
                        origin.requestId());
                ended++;
            } catch (SessionException e) {
                // Gone meanwhile: nothing left to end.
            }
        }
        return ended;
    }
}
