package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15 §6 (a): an unmodified Spring Boot {@code oauth2Login} application
 * ({@code tools/interop/spring-oauth2-login}, Boot 4.0.7: the provider's {@code issuer-uri}, client id and secret,
 * redirect URI and scopes in its properties) signs people in through Latchkey's hosted pages in headless Chromium —
 * with a password and with a passkey (a virtual authenticator; through autofill and through the button) — and lands
 * signed in with the right {@code sub} and {@code email} from the ID token. While the Latchkey session lives a second
 * sign-in asks for nothing (single sign-on); the application's sign-out ends it through the discovered
 * {@code end_session_endpoint} (Spring's {@code OidcClientInitiatedLogoutSuccessHandler}), after which the hosted page
 * asks for the password again.
 *
 * <p>The local server and the Spring application start once for the class (the application about 5 s); each test
 * has its own browser (its own cookies).
 */
class OidcSpringLoginBrowserTest {

    private static final String PASSWORD = "Analytical-Engine-1843!";
    private static final Path SCREENSHOT = Path.of("target", "oidc-spring-signed-in.png");

    @TempDir
    static Path dataDir;

    private static OidcTestWorld world;
    private static InteropProcess spring;
    private static String app;
    private static OidcTestWorld.Person ada;

    private HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        world = OidcTestWorld.start(dataDir);
        ada = world.signUp("ada@example.com", PASSWORD, "Ada Lovelace");
        int port = InteropProcess.freePort();
        app = "http://localhost:" + port;
        JsonNode application = world.registerApplication(ada, Map.of("name", "Spring Boot web app",
                "type", "confidential", "first_party", true,
                "redirect_uris", List.of(app + "/login/oauth2/code/latchkey"),
                "post_logout_redirect_uris", List.of(app + "/signed-out"),
                "scopes", List.of("openid", "profile", "email")));
        spring = InteropProcess.springSignIn(port, world.issuer(), application.path("client_id").asString(),
                application.path("client_secret").asString());
        spring.awaitListening("http://127.0.0.1:" + port + "/signed-out");
    }

    @AfterAll
    static void stop() {
        if (spring != null) {
            spring.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void springOauth2LoginWhenPasswordSignInThenLandsSignedInWithTheUsersSubAndEmail() throws Exception {
        browser.open(app + "/");
        browser.awaitUrl(world.issuer() + "/");
        browser.signIn(ada.email(), ada.password());

        assertSignedInToSpring(ada);
        browser.screenshot(SCREENSHOT);
        assertThat(Files.size(SCREENSHOT)).isPositive();
    }

    @Test
    void springOauth2LoginWhenLatchkeySessionLivesThenNoPasswordAgainAndSignOutEndsIt() throws Exception {
        browser.open(app + "/");
        browser.awaitUrl(world.issuer() + "/");
        browser.signIn(ada.email(), ada.password());
        assertSignedInToSpring(ada);

        // The application forgets its own session (a second application would not have one either): Latchkey's
        // session cookie alone signs the browser in again, no page shown.
        browser.driver().manage().deleteCookieNamed("JSESSIONID");
        browser.open(app + "/");
        assertSignedInToSpring(ada);

        // Sign out in the application: Spring posts /logout, then sends the browser to Latchkey's end-session
        // endpoint with id_token_hint and post_logout_redirect_uri, and Latchkey back to the application.
        browser.press("Sign out");
        browser.awaitUrl(app + "/signed-out");

        // The Latchkey session ended with it: signing in asks for the password again.
        browser.open(app + "/");
        browser.awaitUrl(world.issuer() + "/");
        new WebDriverWait(browser.driver(), HeadlessChromium.WAIT).until(d -> browser.showsInput("Password"));
        browser.signIn(ada.email(), ada.password());
        assertSignedInToSpring(ada);
    }

    @Test
    void springOauth2LoginWhenPasskeyAutofillThenLandsSignedInWithoutTypingOrClickingAnything() throws Exception {
        OidcTestWorld.Person grace = world.signUp("grace@example.com", PASSWORD, "Grace Hopper");
        VirtualAuthenticator authenticator = browser.addPasskeyAuthenticator();
        addPasskeyOnTheDemoPage(grace);

        // The hosted page asks for a passkey through autofill (conditional mediation) as it loads; the virtual
        // authenticator answers at once, as a person picking the offered passkey would.
        browser.open(app + "/");

        assertSignedInToSpring(grace);
        assertThat(browser.text("amr")).contains("hwk");
        assertThat(authenticator.getCredentials().get(0).getSignCount()).isPositive();
    }

    @Test
    void springOauth2LoginWhenPasskeyButtonThenLandsSignedInWithoutTypingAnything() throws Exception {
        OidcTestWorld.Person alan = world.signUp("alan@example.com", PASSWORD, "Alan Turing");
        browser.withoutPasskeyAutofill();
        VirtualAuthenticator authenticator = browser.addPasskeyAuthenticator();
        addPasskeyOnTheDemoPage(alan);

        browser.open(app + "/");
        browser.awaitUrl(world.issuer() + "/");
        browser.press("Sign in with a passkey");

        assertSignedInToSpring(alan);
        assertThat(browser.text("amr")).contains("hwk");
        assertThat(authenticator.getCredentials().get(0).getSignCount()).isPositive();
    }

    private void assertSignedInToSpring(OidcTestWorld.Person person) {
        browser.awaitUrl(app + "/");
        assertThat(browser.text("sub")).as(browser.bodyText()).isEqualTo(person.id());
        assertThat(browser.text("email")).isEqualTo(person.email());
        assertThat(browser.text("name")).isEqualTo(person.name());
    }

    /**
     * The local server's demo page (the one {@link PasskeyBrowserTest} drives): sign in with the password, add a
     * passkey to the virtual authenticator, sign out. The demo page keeps its tokens in the page, not in a cookie.
     */
    private void addPasskeyOnTheDemoPage(OidcTestWorld.Person person) {
        browser.open(world.issuer() + "/");
        DemoPage page = new DemoPage(browser);
        page.type("login-email", person.email());
        page.type("login-password", person.password());
        page.click("login-button");
        page.awaitSignedIn(person.email());
        page.addPasskey("Laptop");
        page.signOut();
        browser.driver().manage().deleteAllCookies();
    }
}
