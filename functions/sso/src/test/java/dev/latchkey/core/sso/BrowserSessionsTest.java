package dev.latchkey.core.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.http.Headers;
import dev.latchkey.core.login.LoginException;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.token.InvalidTokenException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The single sign-on browser session and its cookie (issue 15 §3; RFC 6265bis §4.1.3.2; RFC 9700 §4.4.1). */
class BrowserSessionsTest {

    private final SsoFixture f = new SsoFixture();

    @Test
    void startWhenFreshSignInThenOpaqueCookieStoredOnlyAsItsHashAndTiedToTheSession() {
        var tokens = f.sessions.login();

        var started = f.browserSessions.start(Optional.of(tokens.accessToken()), Optional.empty(), "ip", "req");

        assertThat(started.cookieValue()).matches("[A-Za-z0-9_-]{43}");
        assertThat(f.browser.storedKeys()).containsExactly(SsoCookie.hash(started.cookieValue()))
                .doesNotContain(started.cookieValue());
        assertThat(started.user().sessionId()).isEqualTo(tokens.sessionId());
        assertThat(started.toString()).doesNotContain(started.cookieValue());
        AuditEvent signedIn = f.sessions.audit.events("sso.signed_in").get(0);
        assertThat(signedIn.actor().id()).isEqualTo(f.sessions.user.id());
        assertThat(signedIn.organizationId()).contains(f.sessions.session(tokens.sessionId()).organizationId());
        assertThat(signedIn.target()).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(tokens.sessionId()));
        assertThat(signedIn.details()).containsEntry("amr", "pwd").containsEntry("replaced_previous", "false");
        assertThat(signedIn.toString()).doesNotContain(started.cookieValue(), tokens.accessToken());
    }

    @Test
    void startWhenNoTokenOrForgedTokenThenRefusedAndNoSession() {
        assertThatThrownBy(() -> f.browserSessions.start(Optional.empty(), Optional.empty(), "ip", "req"))
                .isInstanceOf(LoginException.class);
        assertThatThrownBy(() -> f.browserSessions.start(Optional.of("eyJhbGciOiJub25lIn0.e30."), Optional.empty(),
                "ip", "req")).isInstanceOf(InvalidTokenException.class);
        assertThat(f.browser.storedKeys()).isEmpty();
        assertThat(f.sessions.audit.events("sso.signed_in")).isEmpty();
    }

    @Test
    void resolveWhenSessionLiveThenAuthTimeAndAmrOfTheRealSignIn() {
        var tokens = f.sessions.login();
        String cookie = f.browserSessions.start(Optional.of(tokens.accessToken()), Optional.empty(), "ip", "req")
                .cookieValue();
        f.sessions.clock.advance(Duration.ofMinutes(5));

        SignedInUser user = f.user(cookie).orElseThrow();

        assertThat(user.authTime()).isEqualTo(f.sessions.session(tokens.sessionId()).authTime());
        assertThat(user.amr()).containsExactly("pwd");
        assertThat(f.user("A".repeat(43))).as("unknown cookie").isEmpty();
        assertThat(f.browserSessions.resolve(Optional.empty())).isEmpty();
    }

    @Test
    void endWhenLogoutThenBrowserSessionGoneAndLatchkeySessionRevokedAndAudited() {
        String cookie = f.signIn();
        String sessionId = f.user(cookie).orElseThrow().sessionId();

        assertThat(f.browserSessions.end(cookie, "ip", "req")).contains(f.sessions.user.id());

        assertThat(f.browser.storedKeys()).isEmpty();
        assertThat(f.sessions.session(sessionId).status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(f.sessions.audit.events()).extracting(AuditEvent::action).contains("session.revoked");
        assertThat(f.user(cookie)).isEmpty();
    }

    @Test
    void startWhenTheBrowserHadAnotherSessionThenThatSessionEnds() {
        String first = f.signIn();
        String firstSession = f.user(first).orElseThrow().sessionId();
        var tokens = f.sessions.login();

        f.browserSessions.start(Optional.of(tokens.accessToken()), Optional.of(first), "ip", "req");

        assertThat(f.user(first)).isEmpty();
        assertThat(f.sessions.session(firstSession).status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(f.sessions.audit.events("sso.signed_in")).extracting(e -> e.details().get("replaced_previous"))
                .containsExactly("false", "true");
    }

    @Test
    void cookieWhenSetThenHostPrefixSecureHttpOnlyLaxRootPathAndNoDomain() {
        String header = SsoCookie.set(SsoCookie.SESSION, "v".repeat(43));

        assertThat(header).startsWith("__Host-latchkey_session=" + "v".repeat(43) + ";")
                .contains("; Path=/").contains("; Secure").contains("; HttpOnly").contains("; SameSite=Lax")
                .doesNotContainIgnoringCase("domain");
        assertThat(SsoCookie.clear(SsoCookie.SESSION)).contains("Max-Age=0").contains("Secure");
    }

    @Test
    void cookieWhenReadThenOnlyAWellFormedSingleValue() {
        String value = "a".repeat(43);
        assertThat(SsoCookie.read(Headers.ofPairs("cookie", "x=1; __Host-latchkey_session=" + value),
                SsoCookie.SESSION)).contains(value);
        assertThat(SsoCookie.read(Headers.ofPairs("cookie", "__Host-latchkey_session=short"), SsoCookie.SESSION))
                .isEmpty();
        assertThat(SsoCookie.read(Headers.ofPairs("cookie", "__Host-latchkey_session=" + value
                + "; __Host-latchkey_session=" + "b".repeat(43)), SsoCookie.SESSION)).as("duplicated").isEmpty();
        assertThat(SsoCookie.read(Headers.empty(), SsoCookie.SESSION)).isEmpty();
    }

    @Test
    void csrfWhenTokenOfAnotherCookieOrMissingThenRefused() {
        String cookie = "c".repeat(43);
        String token = SsoCookie.csrfToken(cookie);

        assertThat(SsoCookie.csrfMatches(Optional.of(cookie), token)).isTrue();
        assertThat(SsoCookie.csrfMatches(Optional.of("d".repeat(43)), token)).isFalse();
        assertThat(SsoCookie.csrfMatches(Optional.empty(), token)).isFalse();
        assertThat(SsoCookie.csrfMatches(Optional.of(cookie), null)).isFalse();
        assertThat(SsoCookie.csrfMatches(Optional.of(cookie), cookie)).as("the cookie itself is no token").isFalse();
    }
}
