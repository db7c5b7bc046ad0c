package dev.latchkey.core.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.authorize.AuthorizationCodes;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionFixture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a valid authorization request gets (OpenID Connect Core §3.1.2.3–§3.1.2.6): SSO, prompt, max_age, consent. */
class AuthorizeTest {

    private static final String ISS = "iss=" + URLEncoder.encode(SessionFixture.ISSUER, StandardCharsets.UTF_8);
    private final SsoFixture f = new SsoFixture();

    private static String location(AuthorizeOutcome outcome) {
        assertThat(outcome).isInstanceOf(AuthorizeOutcome.Redirect.class);
        return ((AuthorizeOutcome.Redirect) outcome).location();
    }

    private static String code(String location) {
        return location.replaceAll(".*[?&]code=([^&]+).*", "$1");
    }

    @Test
    void decideWhenNoSessionThenSignInPage() {
        assertThat(f.authorize.decide(f.valid(), Optional.empty())).isInstanceOf(AuthorizeOutcome.SignIn.class);
    }

    @Test
    void decideWhenPromptNoneWithoutSessionThenLoginRequiredToTheRedirectUriWithIss() {
        String location = location(f.authorize.decide(f.valid("prompt", "none"), Optional.empty()));

        assertThat(location).startsWith(SsoFixture.REDIRECT + "?error=login_required&error_description=")
                .endsWith("&state=st-1&" + ISS);
        assertThat(f.codes.storedKeys()).isEmpty();
    }

    @Test
    void decideWhenSessionAndFirstPartyThenCodeAtOnceBoundToTheRequestAndTheRealSignIn() {
        String cookie = f.signIn();
        SignedInUser user = f.user(cookie).orElseThrow();

        String location = location(f.authorize.decide(f.valid(), Optional.of(user)));

        assertThat(location).startsWith(SsoFixture.REDIRECT + "?code=").endsWith("&state=st-1&" + ISS);
        var stored = f.codes.consume(AuthorizationCodes.hash(code(location))).orElseThrow().code();
        assertThat(stored.clientId()).isEqualTo("app_first");
        assertThat(stored.redirectUri()).isEqualTo(SsoFixture.REDIRECT);
        assertThat(stored.pkce().challenge()).isEqualTo(SsoFixture.CHALLENGE);
        assertThat(stored.nonce()).contains("n-1");
        assertThat(stored.userId()).isEqualTo(f.sessions.user.id());
        assertThat(stored.sessionId()).isEqualTo(user.sessionId());
        assertThat(stored.authTime()).isEqualTo(f.sessions.session(user.sessionId()).authTime());
        assertThat(stored.amr()).containsExactly("pwd");
    }

    @Test
    void decideWhenSessionThenSingleSignOnAcrossTwoApplicationsWithOneSignIn() {
        SignedInUser user = f.user(f.signIn()).orElseThrow();
        f.consents.grant(user.userId(), "app_third", Set.of("openid", "email"), f.sessions.clock.instant());

        String first = location(f.authorize.decide(f.valid(), Optional.of(user)));
        String third = location(f.authorize.decide(f.valid("client_id", "app_third", "redirect_uri",
                "https://third.example/cb"), Optional.of(user)));

        assertThat(first).contains("code=");
        assertThat(third).startsWith("https://third.example/cb?code=");
    }

    @Test
    void decideWhenPromptLoginOrSelectAccountThenSignInPageDespiteTheSession() {
        SignedInUser user = f.user(f.signIn()).orElseThrow();

        assertThat(f.authorize.decide(f.valid("prompt", "login"), Optional.of(user)))
                .isInstanceOf(AuthorizeOutcome.SignIn.class);
        assertThat(f.authorize.decide(f.valid("prompt", "select_account"), Optional.of(user)))
                .isInstanceOf(AuthorizeOutcome.SignIn.class);
    }

    @Test
    void decideWhenAuthTimeOlderThanMaxAgeThenSignInAndWithPromptNoneLoginRequired() {
        SignedInUser user = f.user(f.signIn()).orElseThrow();
        f.sessions.clock.advance(Duration.ofSeconds(301));

        assertThat(f.authorize.decide(f.valid("max_age", "300"), Optional.of(user)))
                .isInstanceOf(AuthorizeOutcome.SignIn.class);
        assertThat(location(f.authorize.decide(f.valid("max_age", "300", "prompt", "none"), Optional.of(user))))
                .contains("error=login_required");
        assertThat(location(f.authorize.decide(f.valid("max_age", "600"), Optional.of(user)))).contains("code=");
    }

    @Test
    void decideWhenThirdPartyWithoutConsentThenConsentPageListingTheScopesAndPromptNoneConsentRequired() {
        SignedInUser user = f.user(f.signIn()).orElseThrow();
        AuthorizationRequest third = f.valid("client_id", "app_third", "redirect_uri", "https://third.example/cb",
                "scope", "openid email profile");

        AuthorizeOutcome outcome = f.authorize.decide(third, Optional.of(user));

        assertThat(outcome).isInstanceOf(AuthorizeOutcome.Consent.class);
        assertThat(((AuthorizeOutcome.Consent) outcome).scopes()).containsExactly("openid", "email", "profile");
        assertThat(location(f.authorize.decide(f.valid("client_id", "app_third", "redirect_uri",
                "https://third.example/cb", "prompt", "none"), Optional.of(user))))
                .startsWith("https://third.example/cb?error=consent_required");
    }

    @Test
    void consentWhenApprovedThenRememberedPerUserAndClientAndCodeIssued() {
        SignedInUser user = f.user(f.signIn()).orElseThrow();
        AuthorizationRequest third = f.valid("client_id", "app_third", "redirect_uri", "https://third.example/cb");

        assertThat(location(f.authorize.consent(third, Optional.of(user), true, "203.0.113.10",
                "req"))).contains("code=");
        assertThat(location(f.authorize.decide(third, Optional.of(user)))).as("remembered").contains("code=");
        assertThat(f.authorize.decide(f.valid("client_id", "app_third", "redirect_uri", "https://third.example/cb",
                "scope", "openid email profile"), Optional.of(user))).as("a new scope asks again")
                .isInstanceOf(AuthorizeOutcome.Consent.class);
        assertThat(f.authorize.decide(f.valid("client_id", "app_third", "redirect_uri", "https://third.example/cb",
                "prompt", "consent"), Optional.of(user))).isInstanceOf(AuthorizeOutcome.Consent.class);
        var granted = f.sessions.audit.events("consent.granted");
        assertThat(granted).hasSize(1);
        assertThat(granted.get(0).actor().id()).isEqualTo(user.userId());
        assertThat(granted.get(0).organizationId()).contains(user.organizationId());
        assertThat(granted.get(0).target()).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo("app_third"));
        assertThat(granted.get(0).details()).containsEntry("scopes", "openid email");
        assertThat(granted.get(0).sourceIp()).contains("203.0.113.10");
    }

    @Test
    void consentWhenDeniedThenAccessDeniedAndNothingRemembered() {
        SignedInUser user = f.user(f.signIn()).orElseThrow();
        AuthorizationRequest third = f.valid("client_id", "app_third", "redirect_uri", "https://third.example/cb");

        assertThat(location(f.authorize.consent(third, Optional.of(user), false, "203.0.113.10",
                "req")))
                .startsWith("https://third.example/cb?error=access_denied").contains(ISS);
        assertThat(f.consents.granted(user.userId(), "app_third")).isEmpty();
        assertThat(f.codes.storedKeys()).isEmpty();
        assertThat(f.sessions.audit.events("consent.denied")).singleElement().satisfies(e -> {
            assertThat(e.actor().id()).isEqualTo(user.userId());
            assertThat(e.details()).containsEntry("scopes", "openid email");
        });
        assertThat(f.sessions.audit.events("consent.granted")).isEmpty();
    }

    @Test
    void decideWhenPromptCreateThenSignUpPage() {
        assertThat(f.authorize.decide(f.valid("prompt", "create"), Optional.empty()))
                .isInstanceOf(AuthorizeOutcome.SignUp.class);
    }

    @Test
    void decideWhenTheLatchkeySessionIsRevokedThenNoSingleSignOn() {
        String cookie = f.signIn();
        SignedInUser user = f.user(cookie).orElseThrow();

        f.sessions.sessions.revoke(user.sessionId(), f.sessions.clock.instant(), SessionEndReason.ENDED_BY_USER);

        assertThat(f.user(cookie)).isEmpty();
        assertThat(f.authorize.decide(f.valid(), f.user(cookie))).isInstanceOf(AuthorizeOutcome.SignIn.class);
    }
}
