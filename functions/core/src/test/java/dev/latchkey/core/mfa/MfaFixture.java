package dev.latchkey.core.mfa;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.FakePasswordHasher;
import dev.latchkey.core.account.InMemoryUserRepository;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.login.LoginAttempts;
import dev.latchkey.core.login.LoginThrottle;
import dev.latchkey.core.login.PasswordLogin;
import dev.latchkey.core.login.ThrottlePolicy;
import dev.latchkey.core.mail.RecordingMailer;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RecentAuthentication;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every MFA use case wired to in-memory fakes over a {@link SessionFixture}, a password user ({@link #ada}) and
 * helpers to compute codes as an authenticator app would.
 */
public final class MfaFixture {

    public static final String PASSWORD = "Marmalade-Comet-Lantern-93";
    public static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-mfa");

    public final SessionFixture f = new SessionFixture();
    public final InMemoryUserRepository users = new InMemoryUserRepository(f.audit);
    public final FakePasswordHasher hasher = new FakePasswordHasher();
    public final InMemoryMfaRepository factors = new InMemoryMfaRepository();
    public final InMemoryMfaLoginTokens loginTokens = new InMemoryMfaLoginTokens();
    public final RecordingMailer mailer = new RecordingMailer();
    public final LoginThrottle passwordThrottle = new LoginThrottle(new Attempts(), new InMemoryRateLimiter(f.clock),
            ThrottlePolicy.defaults(), LoginThrottle.defaultPerIp(), f.clock);
    public final LoginThrottle throttle = new LoginThrottle(new Attempts(), new InMemoryRateLimiter(f.clock),
            SecondFactorVerifier.THROTTLE_POLICY, LoginThrottle.defaultPerIp(), f.clock);
    public final TotpSecrets secrets = new TotpSecrets(f.vault, f.random);
    public final SecondFactorVerifier verifier = new SecondFactorVerifier(factors, secrets, throttle, mailer,
            f.audit, f.ids, f.clock);
    public final StepUp stepUp = new StepUp(factors, new RecentAuthentication(f.clock));
    public final TotpEnrolment enrolment = new TotpEnrolment(users, factors, secrets, verifier, stepUp, throttle,
            text -> "<svg>" + text.length() + "</svg>", "Latchkey", f.random, f.audit, f.ids, f.clock);
    public final MfaLoginGate gate = new MfaLoginGate(factors, loginTokens, f.random, f.clock);
    public final PasswordLogin passwordLogin = new PasswordLogin(users,
            new PasswordPolicy((password, words) -> Optional.empty()), hasher, passwordThrottle, f.start, gate, f.audit,
            f.ids, f.clock);
    public final MfaLogin mfaLogin = new MfaLogin(loginTokens, users, verifier, f.start, f.audit, f.ids, f.clock);
    public final ManageMfa manage = new ManageMfa(users, factors, secrets, stepUp, mailer, f.random, f.audit,
            f.ids, f.clock);
    public final User ada = account("ada@example.com");

    /** A stored password user. */
    public User account(String email) {
        String userId = f.ids.next(IdPrefix.USER);
        String orgId = f.ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Ada Lovelace", hasher.hash(PASSWORD), false,
                f.clock.instant(), orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Ada's organization", f.clock.instant(),
                userId), AuditEvent.builder(f.ids, f.clock).organizationId(orgId).actor(Actor.user(userId))
                .action("account.registered").requestId("req-0").build()));
        return user;
    }

    /** A signed-in caller of {@code user} (a live password session, as its bearer token authenticates it). */
    public AuthenticatedUser signedIn(User user) {
        return signedIn(user, List.of("pwd"));
    }

    /** A caller of {@code user} signed in now with this {@code amr}, as its bearer token authenticates it. */
    public AuthenticatedUser signedIn(User user, List<String> amr) {
        TokenResponse tokens = f.start.start(new StartSessionCommand(
                new UserProfile(user.id(), user.email().display(), user.name()),
                user.personalOrganizationId(), amr, "203.0.113.10", "req-s"));
        return f.bearer().authenticate(Optional.of(tokens.accessToken()));
    }

    /** An enrolled authenticator app: its secret (as the app holds it) and the recovery codes. */
    public record App(byte[] secret, List<String> recoveryCodes) {

        /** The app's code at {@code at}. */
        public String code(Instant at) {
            return Totp.code(secret, Totp.step(at), Totp.Algorithm.SHA1, Totp.DIGITS);
        }
    }

    /** Enrols and confirms a TOTP app for {@code user}; the clock moves to the next step after. */
    public App enrol(User user) {
        AuthenticatedUser caller = signedIn(user);
        TotpEnrolment.Started started = enrolment.start(caller, null, null, ORIGIN);
        byte[] secret = Base32.decode(started.secret());
        List<String> codes = enrolment.confirm(caller, Totp.code(secret, Totp.step(f.clock.instant()),
                Totp.Algorithm.SHA1, Totp.DIGITS), ORIGIN);
        nextStep();
        return new App(secret, codes);
    }

    /** Moves the clock one time step on. */
    public void nextStep() {
        f.clock.advance(java.time.Duration.ofSeconds(Totp.PERIOD_SECONDS));
    }

    /** Streaks in memory with the real contract. */
    static final class Attempts implements LoginAttempts {
        private final Map<String, Streak> streaks = new HashMap<>();

        @Override
        public synchronized Optional<Streak> current(String accountKey) {
            return Optional.ofNullable(streaks.get(accountKey));
        }

        @Override
        public synchronized Streak recordFailure(String accountKey, Instant now, ThrottlePolicy policy) {
            Streak current = streaks.get(accountKey);
            if (current != null && current.lockedAt(now)) {
                return current;
            }
            long failures = current == null ? 1 : current.failures() + 1;
            Streak next = new Streak(failures, now.plus(policy.lockAfter(failures)));
            streaks.put(accountKey, next);
            return next;
        }

        @Override
        public synchronized void reset(String accountKey) {
            streaks.remove(accountKey);
        }
    }
}
