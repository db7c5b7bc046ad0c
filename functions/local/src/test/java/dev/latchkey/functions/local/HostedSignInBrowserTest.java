package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.authorize.AuthorizationCode;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.mfa.Base32;
import dev.latchkey.core.mfa.Totp;
import java.io.File;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

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

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "hosted-sign-in.png");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String EMAIL = "katherine.johnson@example.com";
    private static final String PASSWORD = "Orbit-Trajectory-Slide-61";

    @TempDir
    Path dataDir;

    private LocalServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the browser test: .ci/run installs chromium and chromium-driver");
        }
        Assumptions.assumeTrue(installed, "needs /usr/bin/chromium and /usr/bin/chromedriver");
        server = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString()));
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,900");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build(), options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
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
        String authorize = origin + "/oauth/authorize?response_type=code&client_id=" + app.clientId()
                + "&redirect_uri=" + URLEncoder.encode(callback, StandardCharsets.UTF_8)
                + "&scope=openid%20email&state=xyz-1&nonce=nonce-1&code_challenge=" + CHALLENGE
                + "&code_challenge_method=S256";

        browser.get(authorize);
        assertThat(browser.getTitle()).isEqualTo("Sign in – Latchkey");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Mission Control");
        assertThat(button("Sign in with a passkey").isDisplayed()).isTrue();
        WebElement email = labelled("Email");
        assertThat(email.getDomAttribute("autocomplete")).isEqualTo("username webauthn");
        email.sendKeys(EMAIL);
        email.sendKeys(Keys.TAB);
        WebElement password = labelled("Password");
        assertThat(browser.switchTo().activeElement()).as("Tab moves to the password").isEqualTo(password);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        password.sendKeys(PASSWORD + Keys.ENTER);

        Map<String, String> response = awaitRedirect(callback);
        assertThat(response).containsEntry("state", "xyz-1").containsEntry("iss", origin).containsKey("code");
        AuthorizationCode code = SignInApplications.redeem(server, response.get("code"));
        assertThat(code.clientId()).isEqualTo(app.clientId());
        assertThat(code.nonce()).contains("nonce-1");
        assertThat(code.amr()).containsExactly("pwd");

        // Single sign-on: Chromium sends the Secure __Host- cookie back to http://localhost.
        browser.get(authorize + "&prompt=none");
        assertThat(awaitRedirect(callback)).containsKey("code").doesNotContainKey("error");
    }

    @Test
    void signInWithThePasskeyButtonWithoutTypingAnythingThenCodeWithHwk() throws Exception {
        String origin = server.url().toString().replaceAll("/$", "");
        String callback = origin + "/rp-callback";
        Application app = SignInApplications.register(server, b -> b.redirectUris(callback));
        // A passkey added on the demo page (same origin, same RP id), as PasskeyBrowserTest does.
        browser.get(origin + "/");
        var authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(
                new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
                        .setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
        type("register-name", "Katherine Johnson");
        type("register-email", EMAIL);
        type("register-password", PASSWORD);
        browser.findElement(By.id("register-button")).click();
        awaitDemoMessage("Account created");
        type("login-password", PASSWORD);
        browser.findElement(By.id("login-button")).click();
        awaitDemoMessage("Signed in");
        type("passkey-nickname", "Laptop");
        browser.findElement(By.id("add-passkey-button")).click();
        awaitDemoMessage("Passkey");
        assertThat(authenticator.getCredentials()).hasSize(1);

        // The page also starts a passkey autofill request (conditional mediation) on load, and Chromium's virtual
        // authenticator answers it by itself; a person would have to pick the passkey from the field's list. With
        // presence simulation off until the button is clicked, the sign-in below is the button's, not a race with
        // the autofill (which otherwise won now and then, between finding the button and clicking it).
        presenceSimulation(authenticator.getId(), false);
        browser.get(authorizeUrl(origin, app, callback));
        button("Sign in with a passkey").click();
        presenceSimulation(authenticator.getId(), true);

        Map<String, String> response = awaitRedirect(callback);
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

        browser.get(authorizeUrl(origin, app, callback));
        labelled("Email").sendKeys(EMAIL);
        labelled("Password").sendKeys(PASSWORD + Keys.ENTER);
        WebElement code = new WebDriverWait(browser, WAIT).until(d -> {
            WebElement input = d.findElement(By.id("code"));
            return input.isDisplayed() ? input : null;
        });
        assertThat(labelled("Authentication code")).isEqualTo(code);
        assertThat(browser.switchTo().activeElement()).as("focus moves to the code").isEqualTo(code);
        code.sendKeys(recoveryCode + Keys.ENTER);

        Map<String, String> response = awaitRedirect(callback);
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

    private void type(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private void awaitDemoMessage(String start) {
        try {
            new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("message")).getText().startsWith(start));
        } catch (TimeoutException e) {
            throw new AssertionError("demo page says " + browser.findElement(By.id("message")).getText(), e);
        }
    }

    private void registerUser(String origin) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(origin + "/v1/auth/register"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        Json.mapper().writeValueAsString(Map.of("email", EMAIL, "password", PASSWORD, "name",
                                "Katherine Johnson")))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private WebElement labelled(String label) {
        WebElement element = browser.findElement(By.xpath("//label[normalize-space()='" + label + "']"));
        return browser.findElement(By.id(element.getDomAttribute("for")));
    }

    /** Chromium's virtual authenticator: whether a test of user presence succeeds at once (CDP {@code WebAuthn}). */
    private void presenceSimulation(String authenticatorId, boolean enabled) {
        browser.executeCdpCommand("WebAuthn.setAutomaticPresenceSimulation",
                Map.of("authenticatorId", authenticatorId, "enabled", enabled));
    }

    private WebElement button(String name) {
        return browser.findElement(By.xpath("//button[normalize-space()='" + name + "']"));
    }

    private Map<String, String> awaitRedirect(String callback) {
        try {
            new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().startsWith(callback + "?"));
        } catch (TimeoutException e) {
            throw new AssertionError("still at " + browser.getCurrentUrl() + ": "
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : URI.create(browser.getCurrentUrl()).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}
