package dev.latchkey.core.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.User;
import dev.latchkey.core.passkey.PasskeyFixture;
import dev.latchkey.core.passkey.SoftwareAuthenticator;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.TokenResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A password lockout of an account neither slows nor blocks its passkeys (issue #5): passkey login has its own
 * per-IP bucket and never consults the password throttle.
 */
class PasskeyLoginIgnoresPasswordLockoutTest {

    private final PasskeyFixture f = new PasskeyFixture();
    private final InMemoryRateLimiter passwordLimiter = new InMemoryRateLimiter(f.clock);
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottleTest.InMemoryLoginAttempts(),
            passwordLimiter, ThrottlePolicy.defaults(), LoginThrottle.defaultPerIp(), f.clock);
    private final PasswordLogin passwordLogin = new PasswordLogin(f.users,
            new PasswordPolicy((password, words) -> Optional.empty()), f.hasher, throttle, f.sessions.start, f.audit,
            f.ids, f.clock);

    @Test
    void passkeyLoginWhenPasswordIsLockedThenStillSucceedsAtOnce() {
        User ada = f.user("ada@example.com");
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        f.register(ada, key);
        for (int i = 0; i < 10; i++) {
            catchThrowable(() -> passwordLogin.login("ada@example.com", "Wrong-Password-000", PasskeyFixture.REQUEST));
        }
        assertThat(catchThrowable(() -> passwordLogin.login("ada@example.com", PasskeyFixture.PASSWORD,
                PasskeyFixture.REQUEST))).as("the password is locked").isInstanceOf(LoginException.class);
        assertThat(f.audit.events("auth.login.failed")).anySatisfy(e -> assertThat(e.details())
                .containsEntry("reason", "locked"));

        TokenResponse tokens = f.login(key);

        assertThat(tokens.user().id()).isEqualTo(ada.id());
        assertThat(f.clock.instant()).as("no waiting").isEqualTo(SessionFixture.T0);
    }

    @Test
    void passwordLoginWhenAccountHasNoPasswordThenTheUsualFailure() {
        f.passkeyOnlyUser("carol@example.com");

        Throwable thrown = catchThrowable(() -> passwordLogin.login("carol@example.com", "anything-at-all-1",
                PasskeyFixture.REQUEST));

        assertThat(thrown).isInstanceOf(LoginException.class).hasMessage("Email or password is incorrect.");
        assertThat(f.last("auth.login.failed").details()).containsEntry("reason", "no_password");
    }
}
