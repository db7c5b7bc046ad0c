package dev.latchkey.core.passkey;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.FakePasswordHasher;
import dev.latchkey.core.account.InMemoryUserRepository;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.mail.RecordingMailer;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.InMemoryPeppers;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The five passkey use cases wired to in-memory fakes, on a {@link SessionFixture} (real signing key, mutable
 * clock), with helpers that run whole ceremonies through a {@link SoftwareAuthenticator}. RP id
 * {@value #RP_ID}; allowed origins {@value #WEB_ORIGIN} and {@value #ANDROID_ORIGIN}. One per test.
 */
public final class PasskeyFixture {

    /** The RP id. */
    public static final String RP_ID = "id.example.com";
    /** The web origin. */
    public static final String WEB_ORIGIN = "https://id.example.com";
    /** An allowed native-app origin. */
    public static final String ANDROID_ORIGIN = "android:apk-key-hash:"
            + "Hq6d7wL1eJ3Vx9bTnYkS0mA2cF8gR4uP5iW6oZ7yX1E";
    /** Where the new-passkey notice points. */
    public static final URI REVIEW_URL = URI.create("https://id.example.com/v1/users/me/passkeys");
    /** The password every {@link #user} gets. */
    public static final String PASSWORD = "Marmalade-Comet-Lantern-93";
    /** Where requests come from. */
    public static final RequestOrigin REQUEST = RequestOrigin.of("203.0.113.10", "req-1");

    public final SessionFixture sessions = new SessionFixture();
    public final MutableClock clock = sessions.clock;
    public final SecureRandom random = sessions.random;
    public final SortableIdGenerator ids = sessions.ids;
    public final InMemoryAuditLog audit = sessions.audit;
    public final FakePasswordHasher hasher = new FakePasswordHasher();
    public final InMemoryUserRepository users = new InMemoryUserRepository(audit);
    public final InMemoryPasskeyRepository passkeys = new InMemoryPasskeyRepository(audit);
    public final InMemoryPasskeyChallenges challenges = new InMemoryPasskeyChallenges();
    public final InMemoryPeppers peppers = new InMemoryPeppers();
    public final InMemoryRateLimiter rateLimiter;
    public final RecordingMailer mailer = new RecordingMailer();
    public final PasskeyPolicy policy;
    public final StartPasskeyRegistration startRegistration;
    public final FinishPasskeyRegistration finishRegistration;
    public final StartPasskeyLogin startLogin;
    public final FinishPasskeyLogin finishLogin;
    public final ManagePasskeys manage;

    /** With the default policy: UV required, 5-minute challenges. */
    public PasskeyFixture() {
        this(PasskeyPolicy.of(RP_ID, "Latchkey", List.of(WEB_ORIGIN, ANDROID_ORIGIN)));
    }

    /** With this policy. */
    public PasskeyFixture(PasskeyPolicy policy) {
        this.policy = policy;
        this.rateLimiter = new InMemoryRateLimiter(clock);
        this.startRegistration = new StartPasskeyRegistration(users, passkeys, challenges, policy,
                PasskeyRegistrationLimits.DEFAULTS, random, clock);
        this.finishRegistration = new FinishPasskeyRegistration(users, passkeys, challenges, policy,
                new DecoyCredentials(peppers), PasskeyRegistrationLimits.DEFAULTS, rateLimiter, mailer, REVIEW_URL,
                audit, ids, clock);
        this.startLogin = new StartPasskeyLogin(users, passkeys, challenges, peppers, rateLimiter,
                StartPasskeyLogin.DEFAULT_IP_LIMIT, policy, random, clock);
        this.finishLogin = new FinishPasskeyLogin(users, passkeys, challenges, sessions.start, rateLimiter,
                FinishPasskeyLogin.DEFAULT_IP_LIMIT, policy, mailer, REVIEW_URL, audit, ids, clock);
        this.manage = new ManagePasskeys(users, passkeys, ids, clock);
    }

    /** A registered account with {@link #PASSWORD}. */
    public User user(String email) {
        return account(email, hasher.hash(PASSWORD));
    }

    /** A registered account without a password. */
    public User passkeyOnlyUser(String email) {
        return account(email, "");
    }

    private User account(String email, String passwordHash) {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Ada Lovelace", passwordHash, true, clock.instant(),
                orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Ada's organization", clock.instant(),
                userId), AuditEvent.builder(ids, clock).organizationId(orgId).actor(Actor.user(userId))
                .action("account.registered").requestId("req-0").build()));
        return user;
    }

    /** The user as a bearer token names them, having authenticated just now. */
    public AuthenticatedUser caller(User user) {
        return callerAuthenticatedAt(user, clock.instant());
    }

    /** The user as a bearer token names them, having authenticated at this time. */
    public static AuthenticatedUser callerAuthenticatedAt(User user, Instant authTime) {
        return new AuthenticatedUser(user.id(), "ses_01JAAAAAAAAAAAAAAAAAAAAAAA", List.of("pwd"),
                Optional.of(authTime));
    }

    /** Registers a passkey for the user from {@link #WEB_ORIGIN}, the whole ceremony. */
    public Passkey register(User user, SoftwareAuthenticator authenticator) {
        return register(user, authenticator, SoftwareAuthenticator.Emulation.at(WEB_ORIGIN));
    }

    /** Registers a passkey for the user, the whole ceremony, emulated as given. */
    public Passkey register(User user, SoftwareAuthenticator authenticator,
            SoftwareAuthenticator.Emulation emulation) {
        PasskeyOptions options = startRegistration.start(caller(user), REQUEST);
        SoftwareAuthenticator.Registration registration = authenticator.register(options.publicKey(), emulation);
        return finishRegistration.finish(caller(user), options.challengeId(), registration.json(), Optional.empty(),
                REQUEST);
    }

    /** A usernameless login from {@link #WEB_ORIGIN}, the whole ceremony. */
    public TokenResponse login(SoftwareAuthenticator authenticator) {
        return login(authenticator, Optional.empty(), SoftwareAuthenticator.Emulation.at(WEB_ORIGIN));
    }

    /** A login, the whole ceremony, emulated as given. */
    public TokenResponse login(SoftwareAuthenticator authenticator, Optional<String> email,
            SoftwareAuthenticator.Emulation emulation) {
        PasskeyOptions options = startLogin.start(email, REQUEST);
        return finishLogin.finish(options.challengeId(), authenticator.authenticate(options.publicKey(), emulation),
                REQUEST);
    }

    /** The last audit event with this action. */
    public AuditEvent last(String action) {
        List<AuditEvent> events = audit.events(action);
        if (events.isEmpty()) {
            throw new AssertionError("no " + action + " event");
        }
        return events.get(events.size() - 1);
    }
}
