package dev.latchkey.core.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.FakePasswordHasher;
import dev.latchkey.core.account.InMemoryUserRepository;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.admin.AdminException;
import dev.latchkey.core.admin.DisableUser;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.passkey.InMemoryPasskeyRepository;
import dev.latchkey.core.passkey.ManagePasskeys;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.session.SessionException;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.TokenResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link DisableUser}: a disabled account cannot log in, reset its password or refresh; enabling restores login. */
class DisabledUserLoginTest {

    private static final String PASSWORD = "Marmalade-Comet-Lantern-93";
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-1");

    private final SessionFixture f = new SessionFixture();
    private final InMemoryUserRepository users = new InMemoryUserRepository(f.audit);
    private final FakePasswordHasher hasher = new FakePasswordHasher();
    private final PasswordPolicy policy = new PasswordPolicy((password, words) -> Optional.empty());
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottleTest.InMemoryLoginAttempts(),
            new InMemoryRateLimiter(f.clock), ThrottlePolicy.defaults(), LoginThrottle.defaultPerIp(), f.clock);
    private final PasswordLogin login = new PasswordLogin(users, policy, hasher, throttle, f.start, f.audit, f.ids,
            f.clock);
    private final PasswordLoginFlowsTest.InMemoryResetTokens resetTokens =
            new PasswordLoginFlowsTest.InMemoryResetTokens();
    private final InMemoryPasskeyRepository passkeys = new InMemoryPasskeyRepository(f.audit);
    private final ResetPassword reset = new ResetPassword(resetTokens, users, policy, hasher, throttle,
            f.endAllSessions, new ManagePasskeys(users, passkeys, f.ids, f.clock), f.audit, f.ids, f.clock);
    private final DisableUser disable = new DisableUser(users, f.endAllSessions, f.audit, f.ids, f.clock);
    private final User ada = account();

    private User account() {
        String userId = f.ids.next(IdPrefix.USER);
        String orgId = f.ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse("ada@example.com"), "Ada", hasher.hash(PASSWORD), true,
                f.clock.instant(), orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Ada's organization", f.clock.instant(),
                userId), AuditEvent.builder(f.ids, f.clock).organizationId(orgId).actor(Actor.user(userId))
                .action("account.registered").requestId("req-0").build()));
        return user;
    }

    @Test
    void disableWhenUserHasSessionsThenLoginFailsLikeAWrongPasswordAndRefreshFails() {
        TokenResponse session = login.login("ada@example.com", PASSWORD, ORIGIN).tokens();

        assertThat(disable.disable(ada.id(), "req-admin")).isEqualTo(1);

        LoginException disabled = (LoginException) org.assertj.core.api.Assertions.catchThrowable(
                () -> login.login("ada@example.com", PASSWORD, ORIGIN));
        LoginException wrong = (LoginException) org.assertj.core.api.Assertions.catchThrowable(
                () -> login.login("ada@example.com", "Wrong-Password-000", ORIGIN));
        assertThat(disabled.code()).isEqualTo(wrong.code());
        assertThat(disabled.getMessage()).isEqualTo(wrong.getMessage());
        assertThatThrownBy(() -> f.refresh(session.refreshToken())).isInstanceOf(SessionException.class);
        assertThat(f.audit.events()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("auth.login.failed");
            assertThat(e.details()).containsEntry("reason", "disabled");
        }).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(DisableUser.DISABLED);
            assertThat(e.actor()).isEqualTo(Actor.system("admin-cli"));
            assertThat(e.organizationId()).contains(ada.personalOrganizationId());
        });
    }

    @Test
    void disableWhenResetTokenPendingThenResetRefusedAndEnableRestoresLogin() {
        PasswordResetToken token = PasswordResetToken.generate(f.random);
        resetTokens.save(new PasswordResetChallenge(token.hash(), ada.id(), "ada@example.com", f.clock.instant(),
                f.clock.instant().plus(ForgotPassword.TTL)));
        disable.disable(ada.id(), "req-admin");

        assertThatThrownBy(() -> reset.reset(token.value(), "Quartz-Heron-Saffron-61", ORIGIN))
                .isInstanceOf(LoginException.class);

        disable.enable(ada.id(), "req-admin");
        assertThat(login.login("ada@example.com", PASSWORD, ORIGIN).tokens().user().id()).isEqualTo(ada.id());
        assertThat(f.audit.events()).anySatisfy(e -> assertThat(e.action()).isEqualTo(DisableUser.ENABLED));
    }

    @Test
    void disableWhenUnknownUserThenNotFound() {
        assertThatThrownBy(() -> disable.disable("usr_01JZZZZZZZZZZZZZZZZZZZZZZZ", "req-admin"))
                .isInstanceOf(AdminException.class);
    }
}
