package dev.latchkey.core.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.token.IdTokenIssuer;
import dev.latchkey.core.token.SigningAlgorithm;
import dev.latchkey.core.token.SigningKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2–§3; RFC 9700 §4.11: no open redirect). */
class RpInitiatedLogoutTest {

    private final SsoFixture f = new SsoFixture();
    private final IdTokenHints hints = new IdTokenHints(f.sessions.keys::publishedKey, SessionFixture.ISSUER);
    private final RpInitiatedLogout logout = new RpInitiatedLogout(hints, f.parties, f.browserSessions,
            f.sessions.audit, f.sessions.ids, f.sessions.clock);

    private String idToken(String issuer, String subject, String audience, String sessionId, Instant expiresAt) {
        var key = f.sessions.ring.load().active(SigningAlgorithm.RS256).orElseThrow();
        return new IdTokenIssuer(SigningKeys.openRsa(key, f.sessions.vault)).issue(new IdTokenIssuer.Claims(issuer,
                subject, audience, expiresAt.minusSeconds(300), expiresAt, expiresAt.minusSeconds(300),
                Optional.empty(), Optional.empty(), List.of("pwd"), sessionId, Optional.empty(), Map.of()));
    }

    private static Map<String, String> params(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void logoutWhenExpiredButGenuineHintOfTheSessionThenEndsAndRedirectsWithState() {
        String cookie = f.signIn();
        SignedInUser user = f.user(cookie).orElseThrow();
        String hint = idToken(SessionFixture.ISSUER, user.userId(), "app_first", user.sessionId(),
                f.sessions.clock.instant().plusSeconds(60));
        f.sessions.clock.advance(Duration.ofHours(2));

        var outcome = logout.logout(params("id_token_hint", hint, "post_logout_redirect_uri",
                "https://rp.example/bye", "state", "s 1"), Optional.of(cookie), false, "ip", "req");

        assertThat(outcome).isEqualTo(new RpInitiatedLogout.SignedOut(Optional.of("https://rp.example/bye?state=s%201"),
                true));
        assertThat(f.user(cookie)).isEmpty();
        assertThat(f.sessions.session(user.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(f.sessions.audit.events("sso.logged_out")).singleElement().satisfies(e -> {
            assertThat(e.actor().id()).isEqualTo(user.userId());
            assertThat(e.organizationId()).contains(user.organizationId());
            assertThat(e.target()).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(user.sessionId()));
            assertThat(e.details()).containsEntry("client_id", "app_first")
                    .containsEntry("confirmed_by", "id_token_hint");
            assertThat(e.toString()).doesNotContain(hint, cookie);
        });
    }

    @Test
    void logoutWhenPostLogoutRedirectUriNotRegisteredOrClientUnknownThenErrorPageAndSessionKept() {
        String cookie = f.signIn();

        assertThat(logout.logout(params("client_id", "app_first", "post_logout_redirect_uri",
                "https://evil.example/"), Optional.of(cookie), false, "ip", "req"))
                .isInstanceOf(RpInitiatedLogout.Refused.class);
        assertThat(logout.logout(params("post_logout_redirect_uri", "https://rp.example/bye"), Optional.of(cookie),
                false, "ip", "req")).as("no client to check against").isInstanceOf(RpInitiatedLogout.Refused.class);
        assertThat(logout.logout(params("client_id", "app_third", "post_logout_redirect_uri",
                "https://rp.example/bye"), Optional.of(cookie), false, "ip", "req")).as("another client's")
                .isInstanceOf(RpInitiatedLogout.Refused.class);
        assertThat(f.user(cookie)).isPresent();
    }

    @Test
    void logoutWhenHintForgedOrOfAnotherIssuerOrClientMismatchThenErrorPage() {
        String cookie = f.signIn();
        SignedInUser user = f.user(cookie).orElseThrow();
        String genuine = idToken(SessionFixture.ISSUER, user.userId(), "app_first", user.sessionId(),
                f.sessions.clock.instant().plusSeconds(300));
        String[] parts = genuine.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA";

        for (String hint : List.of(forged, "not.a.jwt", idToken("https://other.example", user.userId(), "app_first",
                user.sessionId(), f.sessions.clock.instant().plusSeconds(300)))) {
            assertThat(logout.logout(params("id_token_hint", hint), Optional.of(cookie), false, "ip", "req"))
                    .isInstanceOf(RpInitiatedLogout.Refused.class);
        }
        assertThat(logout.logout(params("id_token_hint", genuine, "client_id", "app_third"), Optional.of(cookie),
                false, "ip", "req")).isInstanceOf(RpInitiatedLogout.Refused.class);
        assertThat(f.user(cookie)).isPresent();
    }

    @Test
    void logoutWhenNoHintOrAnotherUsersHintThenConfirmFirstAndEndOnlyAfterConfirmation() {
        String cookie = f.signIn();
        String other = idToken(SessionFixture.ISSUER, "usr_someoneelse", "app_first", "ses_x",
                f.sessions.clock.instant().plusSeconds(300));

        assertThat(logout.logout(params(), Optional.of(cookie), false, "ip", "req"))
                .isInstanceOf(RpInitiatedLogout.Confirm.class);
        assertThat(logout.logout(params("id_token_hint", other), Optional.of(cookie), false, "ip", "req"))
                .isInstanceOf(RpInitiatedLogout.Confirm.class);
        assertThat(f.user(cookie)).isPresent();
        assertThat(f.sessions.audit.events("sso.logged_out")).as("nothing ended yet").isEmpty();

        assertThat(logout.logout(params(), Optional.of(cookie), true, "ip", "req"))
                .isEqualTo(new RpInitiatedLogout.SignedOut(Optional.empty(), true));
        assertThat(f.user(cookie)).isEmpty();
        assertThat(f.sessions.audit.events("sso.logged_out")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("confirmed_by", "form").doesNotContainKey("client_id"));
    }

    @Test
    void logoutWhenNotSignedInThenSignedOutPageOrRegisteredRedirect() {
        assertThat(logout.logout(params(), Optional.empty(), false, "ip", "req"))
                .isEqualTo(new RpInitiatedLogout.SignedOut(Optional.empty(), false));
        assertThat(logout.logout(params("client_id", "app_first", "post_logout_redirect_uri",
                "https://rp.example/bye"), Optional.empty(), false, "ip", "req"))
                .isEqualTo(new RpInitiatedLogout.SignedOut(Optional.of("https://rp.example/bye"), false));
    }

    @Test
    void logoutWhenNativeAppLoopbackOnAnotherPortThenRedirectedLikeItsRedirectUris() {
        f.clients.put("app_native", new RelyingParty("app_native", "Native", new dev.latchkey.core.authorize
                .RedirectUris(List.of("http://127.0.0.1/cb")), List.of("http://127.0.0.1/bye"), true,
                java.util.Set.of("openid")));

        assertThat(logout.logout(params("client_id", "app_native", "post_logout_redirect_uri",
                "http://127.0.0.1:49152/bye"), Optional.empty(), false, "ip", "req"))
                .isEqualTo(new RpInitiatedLogout.SignedOut(Optional.of("http://127.0.0.1:49152/bye"), false));
        assertThat(logout.logout(params("client_id", "app_native", "post_logout_redirect_uri",
                "http://127.0.0.1:49152/other"), Optional.empty(), false, "ip", "req"))
                .isInstanceOf(RpInitiatedLogout.Refused.class);
    }
}
