package dev.latchkey.core.login;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.store.StoreUnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Password login (API.md {@code POST /v1/auth/login/password}, issue #3).
 *
 * <p>Steps, in this order:
 * <ol>
 *   <li>input: email and password present, the email parses, the password normalizes (400 otherwise:
 *       a property of the input, not of any account);</li>
 *   <li>{@link LoginThrottle#admit}: the per-IP window (429) and the per-account lock;</li>
 *   <li>{@link UserRepository#findByEmail};</li>
 *   <li><b>exactly one</b> Argon2id verification: the real one when the account is known and not
 *       locked, {@link PasswordHasher#verifyDummy} otherwise — so an unknown email, a wrong password and
 *       a locked account take the same time and get the same 401 (ASVS 5.0 6.3.8, 6.3.1);</li>
 *   <li>failure: {@link LoginThrottle#failed} (not while locked: a lock is never extended by attempts
 *       made during it), {@code auth.login.failed}, 401;</li>
 *   <li>a disabled account ({@link User#disabled()}) fails like a wrong password, after a dummy verification;</li>
 *   <li>success: {@link LoginThrottle#succeeded}, a rehash when the hasher asks for one (a conditional
 *       write; a lost race or a store failure there does not fail the login), {@link StartSession} with
 *       {@code amr ["pwd"]} in the user's personal organization, {@code auth.login.succeeded} — unless the
 *       user has a second factor: then no session, {@code auth.login.mfa_required} and the pending second step
 *       from the {@link SecondFactorGate} (docs/mfa.md).</li>
 * </ol>
 *
 * <p><b>Unverified email.</b> Login is allowed before the address is verified: API.md does not require
 * verification, and refusing would tell an attacker who knows the password that the account exists
 * but is unverified. The token response says nothing about it; {@code GET /v1/users/me} shows
 * {@code email_verified}.
 */
public final class PasswordLogin {

    /** The authentication method reference of a password login (RFC 8176). */
    public static final List<String> AMR = List.of("pwd");

    private static final System.Logger LOG = System.getLogger(PasswordLogin.class.getName());

    private final UserRepository users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final StartSession sessions;
    private final LoginAudit audit;
    private final SecondFactorGate secondFactor;

    /**
     * @param users the accounts
     * @param policy normalizes the typed password
     * @param hasher verifies (and rehashes) passwords
     * @param throttle per-IP and per-account brute-force protection
     * @param sessions starts the session of a successful login
     * @param auditLog where {@code auth.login.*} goes
     * @param ids event ids
     * @param clock the time source
     */
    public PasswordLogin(UserRepository users, PasswordPolicy policy, PasswordHasher hasher, LoginThrottle throttle,
            StartSession sessions, AuditLog auditLog, IdGenerator ids, Clock clock) {
        this(users, policy, hasher, throttle, sessions, SecondFactorGate.NONE, auditLog, ids, clock);
    }

    /**
     * @param users the accounts
     * @param policy normalizes the typed password
     * @param hasher verifies (and rehashes) passwords
     * @param throttle per-IP and per-account brute-force protection
     * @param sessions starts the session of a successful login
     * @param secondFactor whether the user must pass a second step (docs/mfa.md)
     * @param auditLog where {@code auth.login.*} goes
     * @param ids event ids
     * @param clock the time source
     */
    public PasswordLogin(UserRepository users, PasswordPolicy policy, PasswordHasher hasher, LoginThrottle throttle,
            StartSession sessions, SecondFactorGate secondFactor, AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.secondFactor = Objects.requireNonNull(secondFactor, "secondFactor");
        this.users = Objects.requireNonNull(users, "users");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.audit = new LoginAudit(auditLog, ids, clock);
    }

    /**
     * Logs in.
     *
     * @param email the address as typed
     * @param password the password as typed
     * @return the token response of the new session, or — for a user with a second factor — the pending second
     *     step ({@link LoginResult.MfaRequired}; no session yet)
     * @throws AccountException 400 {@code VALIDATION_ERROR} for a missing field, an address that does not
     *     parse or a password that cannot be normalized
     * @throws dev.latchkey.core.ratelimit.RateLimitedException 429 when the source IP is over its window
     * @throws LoginException 401 {@link LoginException#authenticationFailed()} for an unknown email, a wrong
     *     password or a locked account alike
     * @throws StoreUnavailableException 503 when the store cannot answer (never a login on error)
     */
    public LoginResult login(String email, String password, RequestOrigin origin) {
        if (email == null) {
            throw AccountException.required("email");
        }
        if (password == null) {
            throw AccountException.required("password");
        }
        EmailAddress address = EmailAddress.parse(email);
        String normalized = policy.normalize(password);
        String accountKey = LoginThrottle.accountKey(address.canonical());
        boolean admitted = throttle.admit(origin.sourceIp().orElse("unknown"), accountKey);
        Optional<User> user = users.findByEmail(address.canonical());
        if (!admitted || user.isEmpty()) {
            hasher.verifyDummy(normalized);
            if (admitted) {
                throttle.failed(accountKey);
            }
            audit.record(LoginAudit.LOGIN_FAILED, user, accountKey, Outcome.FAILURE,
                    Map.of("reason", admitted ? "unknown_account" : "locked"), origin);
            throw LoginException.authenticationFailed();
        }
        User found = user.get();
        if (found.disabled()) {
            // Disabled by an operator: the same dummy verification and answer as a wrong password, and no lock.
            hasher.verifyDummy(normalized);
            audit.record(LoginAudit.LOGIN_FAILED, user, accountKey, Outcome.FAILURE, Map.of("reason", "disabled"),
                    origin);
            throw LoginException.authenticationFailed();
        }
        if (!found.hasPassword()) {
            // A passkey-only account: the same dummy verification and answer as for a wrong password.
            hasher.verifyDummy(normalized);
            throttle.failed(accountKey);
            audit.record(LoginAudit.LOGIN_FAILED, user, accountKey, Outcome.FAILURE, Map.of("reason", "no_password"),
                    origin);
            throw LoginException.authenticationFailed();
        }
        PasswordHasher.Verification verification = hasher.verify(found.passwordHash(), normalized);
        if (!verification.matches()) {
            throttle.failed(accountKey);
            audit.record(LoginAudit.LOGIN_FAILED, user, accountKey, Outcome.FAILURE,
                    Map.of("reason", "wrong_password"), origin);
            throw LoginException.authenticationFailed();
        }
        throttle.succeeded(accountKey);
        if (verification.needsRehash()) {
            rehash(found, normalized);
        }
        Optional<LoginResult.MfaRequired> second = secondFactor.challenge(found, AMR, origin);
        if (second.isPresent()) {
            audit.record(LoginAudit.LOGIN_MFA_REQUIRED, user, accountKey, Outcome.SUCCESS,
                    Map.of("method", "password"), origin);
            return second.get();
        }
        TokenResponse response = sessions.start(new StartSessionCommand(
                new UserProfile(found.id(), found.email().display(), found.name()), found.personalOrganizationId(),
                AMR, origin.sourceIp().orElse(""), origin.requestId()));
        audit.record(LoginAudit.LOGIN_SUCCEEDED, user, accountKey, Outcome.SUCCESS,
                Map.of("session", response.sessionId(), "method", "password"), origin);
        return new LoginResult.Tokens(response);
    }

    private void rehash(User user, String normalized) {
        try {
            if (!users.replacePasswordHash(user.id(), user.passwordHash(), hasher.hash(normalized))) {
                LOG.log(System.Logger.Level.INFO, "rehash of " + user.id() + " lost to a concurrent change");
            }
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "rehash of " + user.id() + " not stored: "
                    + e.getClass().getSimpleName() + "; it is retried at the next login");
        }
    }
}
