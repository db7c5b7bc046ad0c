package dev.latchkey.core.login;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.EndAllSessions;
import dev.latchkey.core.session.SessionEndReason;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Password reset (API.md {@code POST /v1/auth/password/reset}) with a token from {@link ForgotPassword}.
 *
 * <p>Steps: the token's shape; a read of the pending reset and its user, so the new password is checked
 * by {@link PasswordPolicy#accept} (with the account's context words) <em>before</em> the token is spent —
 * a refused password leaves the token usable; the conditional delete that spends it (single use, SECURITY.md
 * [6.4.1]); expiry and "the user still has the address"; the new hash (conditional on the hash read, re-read
 * and retried on a concurrent change); every session ended ({@link EndAllSessions}, [7.4.3]); the login
 * throttle's streak forgotten; {@code auth.password.reset} audited.
 *
 * <p>A malformed, unknown, used or expired token is one 400 {@link LoginException#invalidResetToken()}.
 */
public final class ResetPassword {

    private static final int MAX_WRITE_ATTEMPTS = 3;

    private final PasswordResetTokens tokens;
    private final UserRepository users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final EndAllSessions endAll;
    private final LoginAudit audit;
    private final Clock clock;

    /**
     * @param tokens pending resets
     * @param users the accounts
     * @param policy checks the new password
     * @param hasher hashes it
     * @param throttle whose streak for the account is forgotten
     * @param endAll ends every session of the user
     * @param auditLog where {@code auth.password.reset} goes
     * @param ids event ids
     * @param clock decides expiry
     */
    public ResetPassword(PasswordResetTokens tokens, UserRepository users, PasswordPolicy policy,
            PasswordHasher hasher, LoginThrottle throttle, EndAllSessions endAll, AuditLog auditLog, IdGenerator ids,
            Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.users = Objects.requireNonNull(users, "users");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.endAll = Objects.requireNonNull(endAll, "endAll");
        this.audit = new LoginAudit(auditLog, ids, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Resets the password.
     *
     * @return how many sessions were ended
     * @throws LoginException 400 {@link LoginException#invalidResetToken()}
     * @throws AccountException 400 for a missing field or a refused password (the token stays usable)
     * @throws dev.latchkey.core.store.StoreUnavailableException 503 when the store cannot answer
     */
    public int reset(String token, String password, RequestOrigin origin) {
        if (token == null) {
            throw AccountException.required("token");
        }
        if (password == null) {
            throw AccountException.required("password");
        }
        PasswordResetToken parsed = PasswordResetToken.parse(token).orElseThrow(LoginException::invalidResetToken);
        PasswordResetChallenge pending = tokens.find(parsed.hash()).filter(c -> !c.expiredAt(clock.instant()))
                .orElseThrow(LoginException::invalidResetToken);
        User user = currentUser(pending).orElseThrow(LoginException::invalidResetToken);
        String accepted = policy.accept(password, PasswordPolicy.contextWords(user.email(), List.of(user.name())));
        String newHash = hasher.hash(accepted);
        PasswordResetChallenge spent = tokens.consume(parsed.hash()).filter(c -> !c.expiredAt(clock.instant()))
                .orElseThrow(LoginException::invalidResetToken);
        for (int attempt = 1; !users.replacePasswordHash(user.id(), user.passwordHash(), newHash); attempt++) {
            if (attempt == MAX_WRITE_ATTEMPTS) {
                throw new IllegalStateException("password hash kept changing during a reset");
            }
            user = currentUser(spent).orElseThrow(LoginException::invalidResetToken);
        }
        String accountKey = LoginThrottle.accountKey(user.email().canonical());
        throttle.succeeded(accountKey);
        int ended = endAll.endAll(user.id(), SessionEndReason.PASSWORD_RESET, origin.sourceIp().orElse(""),
                origin.requestId());
        audit.record(LoginAudit.PASSWORD_RESET, Optional.of(user), accountKey, Outcome.SUCCESS,
                Map.of("sessions_ended", Integer.toString(ended)), origin);
        return ended;
    }

    private Optional<User> currentUser(PasswordResetChallenge challenge) {
        return users.findById(challenge.userId())
                .filter(u -> u.email().canonical().equals(challenge.canonicalEmail()))
                .filter(u -> !u.disabled());
    }
}
