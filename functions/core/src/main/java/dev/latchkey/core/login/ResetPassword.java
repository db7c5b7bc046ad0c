package dev.latchkey.core.login;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.http.RequestException;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.passkey.ManagePasskeys;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.EndAllSessions;
import dev.latchkey.core.session.SessionEndReason;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
 * and retried on a concurrent change); on request, every passkey added since a given time removed (issue 20 §3,
 * {@link ManagePasskeys#removeAddedSince}: a passkey planted with a stolen session does not outlive the reset);
 * every session ended ({@link EndAllSessions}, [7.4.3]) — also when removing passkeys failed; the login throttle's
 * streak forgotten; {@code auth.password.reset} audited.
 *
 * <p>A malformed, unknown, used or expired token is one 400 {@link LoginException#invalidResetToken()}.
 */
public final class ResetPassword {

    /** The request field naming the earliest creation time of the passkeys to remove (RFC 3339). */
    public static final String REMOVE_PASSKEYS_FIELD = "remove_passkeys_added_since";

    private static final int MAX_WRITE_ATTEMPTS = 3;

    private final PasswordResetTokens tokens;
    private final UserRepository users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final EndAllSessions endAll;
    private final ManagePasskeys passkeys;
    private final LoginAudit audit;
    private final Clock clock;

    /**
     * @param tokens pending resets
     * @param users the accounts
     * @param policy checks the new password
     * @param hasher hashes it
     * @param throttle whose streak for the account is forgotten
     * @param endAll ends every session of the user
     * @param passkeys removes the passkeys added since a given time, when asked
     * @param auditLog where {@code auth.password.reset} goes
     * @param ids event ids
     * @param clock decides expiry
     */
    public ResetPassword(PasswordResetTokens tokens, UserRepository users, PasswordPolicy policy,
            PasswordHasher hasher, LoginThrottle throttle, EndAllSessions endAll, ManagePasskeys passkeys,
            AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.users = Objects.requireNonNull(users, "users");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.endAll = Objects.requireNonNull(endAll, "endAll");
        this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
        this.audit = new LoginAudit(auditLog, ids, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What a reset did: sessions ended, and passkeys removed (empty when not asked to remove any). */
    public record Result(int sessionsEnded, Optional<Integer> passkeysRemoved) {
    }

    /**
     * Resets the password, removing no passkey.
     *
     * @return how many sessions were ended
     * @throws LoginException 400 {@link LoginException#invalidResetToken()}
     * @throws AccountException 400 for a missing field or a refused password (the token stays usable)
     * @throws dev.latchkey.core.store.StoreUnavailableException 503 when the store cannot answer
     */
    public int reset(String token, String password, RequestOrigin origin) {
        return reset(token, password, null, origin).sessionsEnded();
    }

    /**
     * Resets the password and, when {@code removePasskeysAddedSince} is given, removes every passkey of the user
     * created at or after that instant.
     *
     * @param removePasskeysAddedSince an RFC 3339 date-time with offset ({@code 2026-12-07T04:10:00Z}), or null
     * @throws LoginException 400 {@link LoginException#invalidResetToken()}
     * @throws AccountException 400 for a missing field or a refused password (the token stays usable)
     * @throws RequestException 400 for a {@code removePasskeysAddedSince} that is no RFC 3339 date-time (the token
     *     stays usable)
     * @throws dev.latchkey.core.store.StoreUnavailableException 503 when the store cannot answer
     */
    public Result reset(String token, String password, String removePasskeysAddedSince, RequestOrigin origin) {
        if (token == null) {
            throw AccountException.required("token");
        }
        if (password == null) {
            throw AccountException.required("password");
        }
        Optional<Instant> since = Optional.ofNullable(removePasskeysAddedSince).map(ResetPassword::instant);
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
        Optional<Integer> removed;
        int ended;
        // Passkeys first, so a session a planted passkey opened meanwhile is ended too; sessions end regardless.
        try {
            removed = since.isEmpty() ? Optional.empty()
                    : Optional.of(passkeys.removeAddedSince(user, since.get(), origin));
        } finally {
            ended = endAll.endAll(user.id(), SessionEndReason.PASSWORD_RESET, origin.sourceIp().orElse(""),
                    origin.requestId());
        }
        Map<String, String> details = removed.isEmpty() ? Map.of("sessions_ended", Integer.toString(ended))
                : Map.of("sessions_ended", Integer.toString(ended), "passkeys_removed", removed.get().toString());
        audit.record(LoginAudit.PASSWORD_RESET, Optional.of(user), accountKey, Outcome.SUCCESS, details, origin);
        return new Result(ended, removed);
    }

    /** RFC 3339 §5.6 {@code date-time} (an offset is required), as an instant. */
    private static Instant instant(String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw RequestException.invalid("Field '" + REMOVE_PASSKEYS_FIELD + "' must be an RFC 3339 date-time.",
                    Map.of("field", REMOVE_PASSKEYS_FIELD, "reason", "INVALID_DATE_TIME"));
        }
    }

    private Optional<User> currentUser(PasswordResetChallenge challenge) {
        return users.findById(challenge.userId())
                .filter(u -> u.email().canonical().equals(challenge.canonicalEmail()))
                .filter(u -> !u.disabled());
    }
}
