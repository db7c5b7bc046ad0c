package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.authorize.AuthorizationCode;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.mfa.Base32;
import dev.latchkey.core.mfa.Totp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The hosted sign-in page in headless Chromium (as {@link PasskeyBrowserTest}: Debian's {@code chromium} and
 * {@code chromium-driver}; skipped without them, failing under {@code CI=true}): an authorization request lands on the
 * page, the user types the email and password into the fields labelled {@code Email} and {@code Password} and presses
 * Enter (keyboard only), the page's script (loaded under the strict CSP) signs in and the browser arrives at the
 * redirect URI with the code, {@code state} and {@code iss}. Then a {@code prompt=none} request gets a code at once:
 * Chromium kept the {@code Secure} {@code __Host-} cookie on {@code http://localhost} (docs/oidc.md). Screenshot of
 * the page: {@code target/hosted-sign-in.png}.
 */
class HostedSignInBrowserTest {

    private static final Path SCREENSHOT = Path.of("target", "hosted-sign-in.png");
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String EMAIL = "katherine.johnson@example.com";
    private static final String PASSWORD = "Orbit-Trajectory-Slide-61";

    @TempDir
    Path dataDir;

    private LocalServer server;
    private HeadlessChromium browser;

    @BeforeEach
    void start() {
        browser = HeadlessChromium.start(900, 900);
        server = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString()));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void signInWithPasswordOnTheHostedPageWithTheKeyboardThenCodeAtTheRedirectUriAndSingleSignOn() throws Exception {
        String origin = server.url().toString().replaceAll("/$", "");
        String callback = origin + "/rp-callback";
        Application app = SignInApplications.register(server, b -> b.name("Mission Control")
                .redirectUris(callback));
        registerUser(origin);
        String authorize = authorizeUrl(origin, app, callback);

        browser.open(authorize);
        assertThat(browser.driver().getTitle()).isEqualTo("Sign in – Latchkey");
        assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("Mission Control");
        assertThat(browser.button("Sign in with a passkey").isDisplayed()).isTrue();
        WebElement email = browser.input("Email");
        assertThat(email.getDomAttribute("autocomplete")).isEqualTo("username webauthn");
        email.sendKeys(EMAIL);
        email.sendKeys(Keys.TAB);
        WebElement password = browser.input("Password");
        assertThat(browser.driver().switchTo().activeElement()).as("Tab moves to the password").isEqualTo(password);
        browser.screenshot(SCREENSHOT);
        password.sendKeys(PASSWORD + Keys.ENTER);

        Map<String, String> response = browser.awaitRedirect(callback);
        assertThat(response).containsEntry("state", "xyz-1").containsEntry("iss", origin).containsKey("code");
        AuthorizationCode code = SignInApplications.redeem(server, response.get("code"));
        assertThat(code.clientId()).isEqualTo(app.clientId());
        assertThat(code.nonce()).contains("nonce-1");
        assertThat(code.amr()).containsExactly("pwd");

        // Single sign-on: Chromium sends the Secure __Host- cookie back to http://localhost.
        browser.open(authorize + "&prompt=none");
        assertThat(browser.awaitRedirect(callback)).containsKey("code").doesNotContainKey("error");
    }

    @Test
    void signInWithThePasskeyButtonWithoutTypingAnythingThenCodeWithHwk() throws Exception {
        String origin = server.url().toString().replaceAll("/$", "");
        String callback = origin + "/rp-callback";
        Application app = SignInApplications.register(server, b -> b.redirectUris(callback));
        // A passkey added on the demo page (same origin, same RP id), as PasskeyBrowserTest does.
        browser.open(origin + "/");
        var authenticator = browser.addPasskeyAuthenticator();
        DemoPage page = new DemoPage(browser);
        page.signUp("Katherine Johnson", EMAIL, PASSWORD);
        page.type("login-password", PASSWORD);
        page.click("login-button");
        page.awaitMessage("Signed in");
        page.addPasskey("Laptop");
        assertThat(authenticator.getCredentials()).hasSize(1);

        // The page also starts a passkey autofill request (conditional mediation) on load, and Chromium's virtual
        // authenticator answers it by itself; a person would have to pick the passkey from the field's list. With
        // presence simulation off until the button is clicked, the sign-in below is the button's, not a race with
        // the autofill (which otherwise won now and then, between finding the button and clicking it).
        presenceSimulation(authenticator.getId(), false);
        browser.open(authorizeUrl(origin, app, callback));
        browser.press("Sign in with a passkey");
        presenceSimulation(authenticator.getId(), true);

        Map<String, String> response = browser.awaitRedirect(callback);
        AuthorizationCode code = SignInApplications.redeem(server, response.get("code"));
        assertThat(code.amr()).contains("hwk");
        assertThat(response).containsEntry("iss", origin).containsEntry("state", "xyz-1");
    }

    @Test
    void signInWithPasswordThenTheTotpStepWithARecoveryCodeThenCodeWithMfa() throws Exception {
        String origin = server.url().toString().replaceAll("/$", "");
        String callback = origin + "/rp-callback";
        Application app = SignInApplications.register(server, b -> b.redirectUris(callback));
        registerUser(origin);
        String recoveryCode = enrolTotp(origin);

        browser.open(authorizeUrl(origin, app, callback));
        browser.input("Email").sendKeys(EMAIL);
        browser.input("Password").sendKeys(PASSWORD + Keys.ENTER);
        WebElement code = browser.shown("code");
        assertThat(browser.input("Authentication code")).isEqualTo(code);
        assertThat(browser.driver().switchTo().activeElement()).as("focus moves to the code").isEqualTo(code);
        code.sendKeys(recoveryCode + Keys.ENTER);

        Map<String, String> response = browser.awaitRedirect(callback);
        AuthorizationCode grant = SignInApplications.redeem(server, response.get("code"));
        assertThat(grant.amr()).contains("pwd", "mfa");
    }

    private static String authorizeUrl(String origin, Application app, String callback) {
        return origin + "/oauth/authorize?response_type=code&client_id=" + app.clientId()
                + "&redirect_uri=" + URLEncoder.encode(callback, StandardCharsets.UTF_8)
                + "&scope=openid%20email&state=xyz-1&nonce=nonce-1&code_challenge=" + CHALLENGE
                + "&code_challenge_method=S256";
    }

    /** Enrols TOTP over the API (login, start, confirm with a computed code) and returns one recovery code. */
    private static String enrolTotp(String origin) throws Exception {
        String token = Json.mapper().readTree(post(origin, "/v1/auth/login/password", null,
                Map.of("email", EMAIL, "password", PASSWORD))).path("access_token").asString();
        String secret = Json.mapper().readTree(post(origin, "/v1/users/me/mfa/totp", token, Map.of()))
                .path("secret").asString();
        String code = Totp.code(Base32.decode(secret), Totp.step(Instant.now()), Totp.Algorithm.SHA1, Totp.DIGITS);
        return Json.mapper().readTree(post(origin, "/v1/users/me/mfa/totp/confirm", token, Map.of("code", code)))
                .path("recovery_codes").get(0).asString();
    }

    private static String post(String origin, String path, String token, Map<String, String> body)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(origin + path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        var response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(200, 201);
        return response.body();
    }

    private void registerUser(String origin) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(origin + "/v1/auth/register"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        Json.mapper().writeValueAsString(Map.of("email", EMAIL, "password", PASSWORD, "name",
                                "Katherine Johnson")))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** Chromium's virtual authenticator: whether a test of user presence succeeds at once (CDP {@code WebAuthn}). */
    private void presenceSimulation(String authenticatorId, boolean enabled) {
        browser.driver().executeCdpCommand("WebAuthn.setAutomaticPresenceSimulation",
                Map.of("authenticatorId", authenticatorId, "enabled", enabled));
    }
}
