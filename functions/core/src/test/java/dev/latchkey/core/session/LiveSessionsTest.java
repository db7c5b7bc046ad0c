package dev.latchkey.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.login.AuthenticatedUser;
import dev.latchkey.core.token.InvalidTokenException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A route that adds a way to sign in demands a live session, not just a token that still verifies. */
class LiveSessionsTest {

    private final SessionFixture f = new SessionFixture();
    private final LiveSessions live = new LiveSessions(f.sessions, f.clock);

    @Test
    @DisplayName("[7.4.1] a live session passes; after logout the same (still verifying) token does not")
    void requireWhenSessionEndedThenSessionEnded() {
        TokenResponse login = f.login();
        AuthenticatedUser caller = new AuthenticatedUser(login.user().id(), login.sessionId());
        assertThat(live.require(caller)).isEqualTo(caller);

        f.endSession.end(login.refreshToken(), "203.0.113.10", "req-logout");

        assertThatThrownBy(() -> live.require(caller)).isInstanceOfSatisfying(InvalidTokenException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.SESSION_ENDED));
    }

    @Test
    @DisplayName("another user's session id, an unknown one, and an idle-expired session are refused")
    void requireWhenForeignUnknownOrExpiredThenSessionEnded() {
        TokenResponse login = f.login();
        AuthenticatedUser stranger = new AuthenticatedUser("usr_01JD3ZK8W6Q4V8S2M9N7T5R3P1", login.sessionId());
        AuthenticatedUser unknown = new AuthenticatedUser(login.user().id(), "ses_01JD3ZK8W6Q4V8S2M9N7T5R3P1");
        AuthenticatedUser owner = new AuthenticatedUser(login.user().id(), login.sessionId());

        assertThatThrownBy(() -> live.require(stranger)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> live.require(unknown)).isInstanceOf(InvalidTokenException.class);
        f.clock.advance(f.policy.idleLifetime().plus(Duration.ofSeconds(1)));
        assertThatThrownBy(() -> live.require(owner)).isInstanceOf(InvalidTokenException.class);
    }
}
