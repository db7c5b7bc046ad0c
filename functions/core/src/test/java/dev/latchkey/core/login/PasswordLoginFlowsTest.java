package dev.latchkey.core.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.FakePasswordHasher;
import dev.latchkey.core.account.InMemoryUserRepository;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.RecordingMailer;
import dev.latchkey.core.passkey.InMemoryPasskeyRepository;
import dev.latchkey.core.passkey.ManagePasskeys;
import dev.latchkey.core.passkey.Passkey;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.token.InvalidTokenException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The password use cases with in-memory fakes: login, change, forgot, reset, bearer authentication. */
class PasswordLoginFlowsTest {

    private static final String PASSWORD = "Marmalade-Comet-Lantern-93";
    private static final String NEW_PASSWORD = "Quartz-Heron-Saffron-61";
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-1");

    private final SessionFixture f = new SessionFixture();
    private final InMemoryUserRepository users = new InMemoryUserRepository(f.audit);
    private final AtomicInteger verifications = new AtomicInteger();
    private final FakePasswordHasher fake = new FakePasswordHasher();
    private final PasswordHasher hasher = new PasswordHasher() {
        @Override
        public String hash(String normalizedPassword) {
            return fake.hash(normalizedPassword);
        }

        @Override
        public Verification verify(String phc, String normalizedPassword) {
            verifications.incrementAndGet();
            return fake.verify(phc, normalizedPassword);
        }

        @Override
        public void verifyDummy(String normalizedPassword) {
            verifications.incrementAndGet();
        }
    };
    private final PasswordPolicy policy = new PasswordPolicy((password, words) -> Optional.empty());
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottleTest.InMemoryLoginAttempts(),
            new InMemoryRateLimiter(f.clock), ThrottlePolicy.defaults(), LoginThrottle.defaultPerIp(), f.clock);
    private final PasswordLogin login = new PasswordLogin(users, policy, hasher, throttle, f.start, f.audit, f.ids,
            f.clock);
    private final RecordingMailer mailer = new RecordingMailer();
    private final InMemoryResetTokens resetTokens = new InMemoryResetTokens();
    private final ForgotPassword forgot = new ForgotPassword(users, resetTokens, mailer,
            new InMemoryRateLimiter(f.clock), ForgotPassword.DEFAULT_IP_LIMIT, ForgotPassword.DEFAULT_EMAIL_LIMIT,
            URI.create(SessionFixture.ISSUER), f.audit, f.ids, f.random, f.clock);
    private final InMemoryPasskeyRepository passkeys = new InMemoryPasskeyRepository(f.audit);
    private final ResetPassword reset = new ResetPassword(resetTokens, users, policy, hasher, throttle,
            f.endAllSessions, new ManagePasskeys(users, passkeys, f.ids, f.clock), f.audit, f.ids, f.clock);
    private final ChangePassword change = new ChangePassword(users, policy, hasher, throttle, f.sessions,
            f.endSessionById, f.audit, f.ids, f.clock);
    private final BearerAuthentication bearer = f.bearer();
    private final User ada = account("ada@example.com");

    private User account(String email) {
        String userId = f.ids.next(IdPrefix.USER);
        String orgId = f.ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Ada Lovelace", fake.hash(PASSWORD), false,
                f.clock.instant(), orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Ada's organization", f.clock.instant(),
                userId), AuditEvent.builder(f.ids, f.clock).organizationId(orgId).actor(Actor.user(userId))
                .action("account.registered").requestId("req-0").build()));
        return user;
    }

    private long actions(String action) {
        return f.audit.events().stream().filter(e -> e.action().equals(action)).count();
    }

    @Test
    void loginWhenPasswordRightThenSessionWithPwdAndAuditInPersonalOrg() {
        TokenResponse tokens = login.login("ADA@example.com", PASSWORD, ORIGIN).tokens();

        assertThat(tokens.user().id()).isEqualTo(ada.id());
        assertThat(f.session(tokens.sessionId()).amr()).containsExactly("pwd");
        assertThat(f.session(tokens.sessionId()).organizationId()).isEqualTo(ada.personalOrganizationId());
        assertThat(verifications).hasValue(1);
        assertThat(f.audit.events()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("auth.login.succeeded");
            assertThat(e.organizationId()).contains(ada.personalOrganizationId());
        });
    }

    @Test
    void loginWhenUnknownEmailOrWrongPasswordThenSameFailureAndOneVerificationEach() {
        var unknown = catchFailure(() -> login.login("nobody@example.com", PASSWORD, ORIGIN).tokens());
        var wrong = catchFailure(() -> login.login("ada@example.com", "Wrong-Password-000", ORIGIN).tokens());

        assertThat(verifications).hasValue(2);
        assertThat(unknown.code()).isEqualTo(wrong.code());
        assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage());
        assertThat(unknown.headers()).isEqualTo(wrong.headers());
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals("auth.login.failed"))
                .allSatisfy(e -> assertThat(e.toString()).doesNotContain("nobody@", "ada@"))
                .anySatisfy(e -> assertThat(e.organizationId()).isEmpty());
    }

    @Test
    void loginWhenLockedThenRightPasswordRefusedUntilTheLockEnds() {
        for (int i = 0; i < 6; i++) {
            catchFailure(() -> login.login("ada@example.com", "Wrong-Password-000", ORIGIN).tokens());
        }
        verifications.set(0);

        catchFailure(() -> login.login("ada@example.com", PASSWORD, ORIGIN).tokens());
        assertThat(verifications).as("a dummy verification while locked").hasValue(1);

        f.clock.advance(Duration.ofSeconds(2));
        assertThat(login.login("ada@example.com", PASSWORD, ORIGIN).tokens().user().id()).isEqualTo(ada.id());
    }

    @Test
    void changePasswordWhenCurrentRightThenEverySessionEndedTheCallersToo() {
        TokenResponse mine = login.login("ada@example.com", PASSWORD, ORIGIN).tokens();
        TokenResponse other = login.login("ada@example.com", PASSWORD, ORIGIN).tokens();
        AuthenticatedUser caller = bearer.authenticate(Optional.of(mine.accessToken()));

        assertThatThrownBy(() -> change.change(caller, "Wrong-Password-000", NEW_PASSWORD, ORIGIN))
                .isInstanceOf(LoginException.class);
        assertThat(change.change(caller, PASSWORD, NEW_PASSWORD, ORIGIN)).isEqualTo(2);

        assertThat(f.session(mine.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(f.session(other.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
        for (TokenResponse ended : List.of(other, mine)) {
            assertThatThrownBy(() -> bearer.authenticate(Optional.of(ended.accessToken())))
                    .as("[7.4.1] every ended session's access token, the caller's too, fails on its next request")
                    .isInstanceOfSatisfying(InvalidTokenException.class, e -> {
                        assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.SESSION_ENDED);
                        assertThat(e.headers()).containsEntry("www-authenticate", "Bearer error=\"invalid_token\"");
                    });
        }
        assertThat(actions("auth.password.changed")).isEqualTo(2);
        catchFailure(() -> login.login("ada@example.com", PASSWORD, ORIGIN).tokens());
        assertThat(login.login("ada@example.com", NEW_PASSWORD, ORIGIN).tokens().user().id()).isEqualTo(ada.id());
    }

    @Test
    void forgotThenResetEndsEverySessionAndWorksOnce() {
        TokenResponse session = login.login("ada@example.com", PASSWORD, ORIGIN).tokens();
        forgot.forgot("nobody@example.com", ORIGIN);
        assertThat(mailer.sent()).isEmpty();

        forgot.forgot("ada@example.com", ORIGIN);
        MailMessage mail = mailer.latest(MailMessage.PASSWORD_RESET).orElseThrow();
        assertThat(mail.to()).isEqualTo("ada@example.com");
        Matcher token = Pattern.compile("lkp_[A-Za-z0-9_-]{43}").matcher(mail.text());
        assertThat(token.find()).isTrue();

        assertThatThrownBy(() -> reset.reset(token.group(), "short", ORIGIN))
                .as("a refused password leaves the token usable").isNotInstanceOf(LoginException.class);
        assertThat(reset.reset(token.group(), NEW_PASSWORD, ORIGIN)).isEqualTo(1);
        assertThat(f.session(session.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
        assertThatThrownBy(() -> bearer.authenticate(Optional.of(session.accessToken())))
                .as("[7.4.3] every session's access token fails on its next request after a reset")
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.SESSION_ENDED));
        assertThat(actions("auth.password.reset")).isEqualTo(1);
        assertThatThrownBy(() -> reset.reset(token.group(), NEW_PASSWORD, ORIGIN))
                .isInstanceOf(LoginException.class).hasMessage("Password reset token is invalid or has expired.");
        assertThat(login.login("ada@example.com", NEW_PASSWORD, ORIGIN).tokens().user().id()).isEqualTo(ada.id());
    }

    @Test
    void resetWhenAskedToRemovePasskeysAddedSinceThenOnlyTheUsersNewerOnesGoEachAudited() {
        Passkey old = passkey(ada);
        f.clock.advance(Duration.ofDays(2));
        Instant since = f.clock.instant();
        Passkey plantedAtTheInstant = passkey(ada);
        f.clock.advance(Duration.ofHours(1));
        Passkey plantedLater = passkey(ada);
        User grace = account("grace@example.com");
        Passkey gracesNewer = passkey(grace);
        TokenResponse session = login.login("ada@example.com", PASSWORD, ORIGIN).tokens();
        String token = resetToken();

        ResetPassword.Result result = reset.reset(token, NEW_PASSWORD, since.toString(), ORIGIN);

        assertThat(result.passkeysRemoved()).contains(2);
        assertThat(result.sessionsEnded()).isEqualTo(1);
        assertThat(passkeys.findByUser(ada.id())).containsExactly(old);
        assertThat(passkeys.findByUser(grace.id())).as("another user's passkeys stay").containsExactly(gracesNewer);
        assertThat(f.session(session.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals("passkey.removed"))
                .extracting(e -> e.target().orElseThrow().id())
                .containsExactlyInAnyOrder(plantedAtTheInstant.id(), plantedLater.id());
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals("passkey.removed")).allSatisfy(e -> {
            assertThat(e.organizationId()).contains(ada.personalOrganizationId());
            assertThat(e.details()).containsEntry("reason", "password_reset")
                    .containsEntry("added_since", since.toString());
            assertThat(e.sourceIp()).contains("203.0.113.10");
        });
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals("auth.password.reset")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("passkeys_removed", "2"));
    }

    @Test
    void resetWhenRemovePasskeysSinceGivenWithAnOffsetThenTheSameInstantCounts() {
        Instant since = f.clock.instant();
        Passkey planted = passkey(ada);
        String token = resetToken();

        ResetPassword.Result result = reset.reset(token, NEW_PASSWORD,
                since.atOffset(ZoneOffset.ofHours(2)).toString(), ORIGIN);

        assertThat(result.passkeysRemoved()).contains(1);
        assertThat(passkeys.findByCredentialId(planted.credentialId())).isEmpty();
    }

    @Test
    void resetWhenRemovePasskeysSinceIsNoDateTimeThenRefusedAndTheTokenAndPasskeysStay() {
        Passkey kept = passkey(ada);
        String token = resetToken();

        for (String bad : List.of("yesterday", "2026-12-07", "2026-12-07T04:10:00", "")) {
            assertThatThrownBy(() -> reset.reset(token, NEW_PASSWORD, bad, ORIGIN))
                    .isInstanceOfSatisfying(LatchkeyException.class, e -> assertThat(
                            e.details()).isEqualTo(Map.of("field", "remove_passkeys_added_since",
                                    "reason", "INVALID_DATE_TIME")));
        }

        ResetPassword.Result result = reset.reset(token, NEW_PASSWORD, null, ORIGIN);
        assertThat(result.passkeysRemoved()).as("not asked: nothing said").isEmpty();
        assertThat(passkeys.findByUser(ada.id())).containsExactly(kept);
        assertThat(actions("passkey.removed")).isZero();
    }

    @Test
    void resetWhenRemovingPasskeysFailsThenSessionsStillEnd() {
        passkey(ada);
        TokenResponse session = login.login("ada@example.com", PASSWORD, ORIGIN).tokens();
        String token = resetToken();
        passkeys.failWith(new StoreUnavailableException(new IllegalStateException("test")));

        assertThatThrownBy(() -> reset.reset(token, NEW_PASSWORD, f.clock.instant().minusSeconds(60).toString(),
                ORIGIN)).isInstanceOf(StoreUnavailableException.class);
        assertThat(f.session(session.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
    }

    @Test
    void forgotWhenMailedThenItOffersRemovingPasskeysAddedSince() {
        forgot.forgot("ada@example.com", ORIGIN);

        assertThat(mailer.latest(MailMessage.PASSWORD_RESET).orElseThrow().text())
                .contains("\"remove_passkeys_added_since\"");
    }

    private String resetToken() {
        forgot.forgot("ada@example.com", ORIGIN);
        Matcher token = Pattern.compile("lkp_[A-Za-z0-9_-]{43}")
                .matcher(mailer.latest(MailMessage.PASSWORD_RESET).orElseThrow().text());
        assertThat(token.find()).isTrue();
        return token.group();
    }

    /** A passkey of the user created now, stored with its event. */
    private Passkey passkey(User user) {
        String id = f.ids.next(IdPrefix.PASSKEY);
        Passkey passkey = new Passkey(id, user.id(), "cred" + id.substring(3), "aGFuZGxl", "a2V5", -7, 0, true,
                false, false, List.of("internal"), "00000000-0000-0000-0000-000000000000", "Laptop",
                f.clock.instant(), Optional.empty());
        passkeys.add(passkey, AuditEvent.builder(f.ids, f.clock).organizationId(user.personalOrganizationId())
                .actor(Actor.user(user.id())).action("passkey.added").requestId("req-0").build());
        return passkey;
    }

    @Test
    void resetWhenTokenExpiredThenInvalid() {
        forgot.forgot("ada@example.com", ORIGIN);
        Matcher token = Pattern.compile("lkp_[A-Za-z0-9_-]{43}")
                .matcher(mailer.latest(MailMessage.PASSWORD_RESET).orElseThrow().text());
        assertThat(token.find()).isTrue();
        f.clock.advance(Duration.ofMinutes(30));

        assertThatThrownBy(() -> reset.reset(token.group(), NEW_PASSWORD, ORIGIN))
                .isInstanceOf(LoginException.class);
    }

    @Test
    void bearerWhenMissingThenChallengeAndWhenGarbageThenInvalidToken() {
        assertThatThrownBy(() -> bearer.authenticate(Optional.empty())).isInstanceOfSatisfying(LoginException.class,
                e -> assertThat(e.headers()).containsEntry("www-authenticate", "Bearer"));
        assertThatThrownBy(() -> bearer.authenticate(Optional.of("abc.def.ghi")))
                .isInstanceOf(InvalidTokenException.class);
    }

    private static LoginException catchFailure(Runnable action) {
        try {
            action.run();
        } catch (LoginException e) {
            return e;
        }
        throw new AssertionError("expected a LoginException");
    }

    /** Pending resets in a map; consume is atomic. */
    static final class InMemoryResetTokens implements PasswordResetTokens {
        private final java.util.Map<String, PasswordResetChallenge> items = new java.util.HashMap<>();

        @Override
        public synchronized void save(PasswordResetChallenge challenge) {
            items.put(challenge.tokenHash(), challenge);
        }

        @Override
        public synchronized Optional<PasswordResetChallenge> find(String tokenHash) {
            return Optional.ofNullable(items.get(tokenHash));
        }

        @Override
        public synchronized Optional<PasswordResetChallenge> consume(String tokenHash) {
            return Optional.ofNullable(items.remove(tokenHash));
        }
    }
}
