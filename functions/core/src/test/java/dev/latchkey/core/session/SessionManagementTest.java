package dev.latchkey.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Revocation (RFC 7009), logout, and the session list and its ending use cases. */
class SessionManagementTest {

    private final SessionFixture f = new SessionFixture();

    @Test
    @DisplayName("[7.4.1] RFC 7009: revoking a refresh token ends its session at once")
    void revokeWhenRefreshTokenThenSessionEndsAndRefreshFails() {
        TokenResponse login = f.login();
        f.revoke.revoke(login.refreshToken(), "203.0.113.10", "req-revoke");

        assertThat(f.session(login.sessionId()).revokeReason()).contains(SessionEndReason.TOKEN_REVOKED);
        assertThat(f.audit.events("session.revoked")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "token_revoked"));
        assertThatThrownBy(() -> f.refresh(login.refreshToken())).isInstanceOf(SessionException.class);
    }

    @Test
    @DisplayName("RFC 7009 §2.2: a rotated token revokes the family too")
    void revokeWhenRotatedTokenThenFamilyEnds() {
        TokenResponse login = f.login();
        TokenResponse next = f.refresh(login.refreshToken());
        f.revoke.revoke(login.refreshToken(), "203.0.113.10", "req-revoke");

        assertThatThrownBy(() -> f.refresh(next.refreshToken())).isInstanceOf(SessionException.class);
    }

    @Test
    @DisplayName("RFC 7009 §2.2: unknown, malformed and access tokens succeed without effect")
    void revokeWhenUnknownMalformedOrAccessTokenThenNoEffectAndNoError() {
        TokenResponse login = f.login();
        assertThatCode(() -> {
            f.revoke.revoke(RefreshToken.generate(f.random).value(), "203.0.113.10", "r");
            f.revoke.revoke("garbage", "203.0.113.10", "r");
            f.revoke.revoke(login.accessToken(), "203.0.113.10", "r");
            f.revoke.revoke(null, "", "");
        }).doesNotThrowAnyException();
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(f.audit.events("session.revoked")).isEmpty();
        assertThat(f.refresh(login.refreshToken()).sessionId()).isEqualTo(login.sessionId());
    }

    @Test
    @DisplayName("[7.4.1] logout ends the session; a second logout is a silent no-op")
    void endSessionWhenLoggedOutThenRefreshFailsAndRepeatIsNoOp() {
        TokenResponse login = f.login();
        assertThat(f.endSession.end(login.refreshToken(), "203.0.113.10", "req")).isTrue();
        assertThat(f.endSession.end(login.refreshToken(), "203.0.113.10", "req")).isFalse();
        assertThat(f.endSession.end("lkr_nope", "203.0.113.10", "req")).isFalse();
        assertThat(f.session(login.sessionId()).revokeReason()).contains(SessionEndReason.LOGOUT);
        assertThat(f.audit.events("session.revoked")).hasSize(1);
        assertThatThrownBy(() -> f.refresh(login.refreshToken())).isInstanceOf(SessionException.class);
    }

    @Test
    @DisplayName("the list shows the user's usable sessions, newest first — no revoked, expired or foreign ones")
    void listSessionsShowsOnlyOwnUsableSessionsNewestFirst() {
        TokenResponse old = f.login();
        f.clock.advance(Duration.ofDays(15));
        TokenResponse revoked = f.login();
        f.clock.advance(Duration.ofMinutes(1));
        TokenResponse current = f.login();
        f.endSession.end(revoked.refreshToken(), "203.0.113.10", "req");
        f.login(f.newUser("grace@example.com", "Grace Hopper"));

        assertThat(f.listSessions.list(f.user.id())).extracting(Session::sessionId)
                .containsExactly(current.sessionId())
                .doesNotContain(old.sessionId(), revoked.sessionId());
    }

    @Test
    @DisplayName("[8.2.2] ending another user's session answers NOT_FOUND and changes nothing")
    void endSessionByIdWhenAnotherUsersSessionThenNotFound() {
        UserProfile grace = f.newUser("grace@example.com", "Grace Hopper");
        TokenResponse theirs = f.login(grace);

        assertThatThrownBy(() -> f.endSessionById.end(f.user.id(), theirs.sessionId(), "203.0.113.10", "r"))
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> f.endSessionById.end(f.user.id(), "ses_../../x", "203.0.113.10", "r"))
                .isInstanceOf(SessionException.class);
        assertThat(f.session(theirs.sessionId()).status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(f.audit.events("session.revoked")).isEmpty();
    }

    @Test
    @DisplayName("ending one's own session by id revokes it; repeating succeeds without effect")
    void endSessionByIdWhenOwnSessionThenRevokedAndIdempotent() {
        TokenResponse mine = f.login();
        f.endSessionById.end(f.user.id(), mine.sessionId(), "203.0.113.10", "r");
        f.endSessionById.end(f.user.id(), mine.sessionId(), "203.0.113.10", "r");

        assertThat(f.session(mine.sessionId()).revokeReason()).contains(SessionEndReason.ENDED_BY_USER);
        assertThat(f.audit.events("session.revoked")).hasSize(1);
        assertThatThrownBy(() -> f.refresh(mine.refreshToken())).isInstanceOf(SessionException.class);
    }

    @Test
    @DisplayName("[7.4.3] a password reset ends every session of the user, and only theirs")
    void endAllSessionsWhenPasswordResetThenEveryOwnSessionEnds() {
        TokenResponse a = f.login();
        TokenResponse b = f.login();
        TokenResponse other = f.login(f.newUser("grace@example.com", "Grace Hopper"));

        assertThat(f.endAllSessions.endAll(f.user.id(), SessionEndReason.PASSWORD_RESET, "203.0.113.10", "r"))
                .isEqualTo(2);
        assertThat(f.endAllSessions.endAll(f.user.id(), SessionEndReason.PASSWORD_RESET, "203.0.113.10", "r"))
                .isZero();

        assertThatThrownBy(() -> f.refresh(a.refreshToken())).isInstanceOf(SessionException.class);
        assertThatThrownBy(() -> f.refresh(b.refreshToken())).isInstanceOf(SessionException.class);
        assertThat(f.refresh(other.refreshToken()).sessionId()).isEqualTo(other.sessionId());
        assertThat(f.audit.events("session.revoked")).hasSize(2)
                .allSatisfy(e -> assertThat(e.details()).containsEntry("reason", "password_reset"));
        assertThatThrownBy(() -> f.endAllSessions.endAll(f.user.id(), SessionEndReason.REFRESH_TOKEN_REUSE, "", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
