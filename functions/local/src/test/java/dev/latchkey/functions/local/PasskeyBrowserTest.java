package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * The whole passkey story in a real browser: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs) drives the local server's demo page with a
 * WebDriver virtual authenticator (CTAP2, platform, resident keys, user verification): sign up → sign in
 * with a password → add a passkey → sign out → sign in with the passkey without typing anything → the page
 * shows the user. The passkey login's access token then verifies with Nimbus from the JWKS URL alone and
 * carries {@code amr} {@code hwk}. A screenshot of the signed-in page goes to
 * {@code target/passkey-demo-signed-in.png}.
 *
 * <p>Skips without {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} — except under CI
 * ({@code CI=true}), where a skip would hide that the browser test never ran, so it fails instead. Selenium
 * Manager never runs: the driver and the browser binary are set explicitly.
 */
class PasskeyBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "passkey-demo-signed-in.png");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String NAME = "Grace Hopper";
    private static final String EMAIL = "grace.hopper@example.com";
    private static final String PASSWORD = "Cobol-Nanosecond-Moth-47";

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
        Assumptions.assumeTrue(installed, "needs /usr/bin/chromium and /usr/bin/chromedriver "
                + "(apt-get install chromium chromium-driver)");

        // Configured as `java -jar latchkey-local.jar` is: the issuer defaults to the server's own URL
        // (http://localhost:<port>), and with it the RP id (localhost) and the one allowed origin, the page's.
        server = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString()));

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
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
    void signUpAddAPasskeySignOutAndSignBackInWithThePasskeyAlone() throws Exception {
        browser.get(server.url() + "/");
        VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(
                new VirtualAuthenticatorOptions()
                        .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                        .setHasResidentKey(true)
                        .setHasUserVerification(true)
                        .setIsUserVerified(true)
                        .setIsUserConsenting(true));

        // Sign up.
        type("register-name", NAME);
        type("register-email", EMAIL);
        type("register-password", PASSWORD);
        click("register-button");
        awaitMessage("Account created");

        // Sign in with the password (the email is filled in after sign-up; the address is not verified yet).
        assertThat(element("login-email").getDomProperty("value")).isEqualTo(EMAIL);
        type("login-password", PASSWORD);
        click("login-button");
        awaitSignedIn();
        assertThat(text("user-amr")).isEqualTo("pwd");
        assertThat(text("passkey-count")).isEqualTo("0");

        // Add a passkey.
        type("passkey-nickname", "Test laptop");
        click("add-passkey-button");
        awaitMessage("Passkey \"Test laptop\" added");
        assertThat(text("passkey-count")).isEqualTo("1");
        assertThat(browser.findElements(By.cssSelector("#passkey-list li.passkey"))).hasSize(1);
        assertThat(text("passkey-list")).contains("Test laptop").contains("never used");
        assertThat(authenticator.getCredentials()).hasSize(1)
                .allSatisfy(c -> assertThat(c.isResidentCredential()).as("a discoverable credential").isTrue());
        Credential credential = authenticator.getCredentials().get(0);
        assertThat(credential.getRpId()).isEqualTo("localhost");

        // Sign out: the page forgets the tokens.
        click("logout-button");
        awaitMessage("Signed out");
        assertThat(element("signed-in").isDisplayed()).isFalse();
        assertThat(accessToken()).isNull();

        // Sign in with the passkey: nothing typed, the authenticator offers the resident credential.
        click("passkey-login-button");
        awaitSignedIn();
        awaitMessage("Signed in with a passkey");
        assertThat(text("user-name")).isEqualTo(NAME);
        assertThat(text("user-email")).isEqualTo(EMAIL);
        assertThat(text("user-amr")).contains("hwk");
        assertThat(text("passkey-list")).contains("Test laptop").contains("last used");
        assertThat(authenticator.getCredentials().get(0).getSignCount()).isPositive();

        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
                StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(SCREENSHOT)).isPositive();

        // The passkey login's access token verifies from the JWKS URL alone.
        String token = accessToken();
        assertThat(token).isNotBlank();
        JWTClaimsSet claims = verifier(server.url().toString()).process(token, null);
        assertThat(claims.getSubject()).isEqualTo(text("user-id")).startsWith("usr_");
        assertThat(claims.getStringListClaim("amr")).contains("hwk");
        assertThat(claims.getAudience()).contains(server.url().toString());
    }

    private WebElement element(String id) {
        return browser.findElement(By.id(id));
    }

    private String text(String id) {
        return element(id).getText();
    }

    private void type(String id, String value) {
        WebElement input = element(id);
        input.clear();
        input.sendKeys(value);
    }

    private void click(String id) {
        element(id).click();
    }

    private String accessToken() {
        return (String) ((JavascriptExecutor) browser).executeScript("return window.latchkeyDemo.accessToken();");
    }

    /** Waits until the status line starts with this text; fails with what it says instead (an API error). */
    private void awaitMessage(String start) {
        try {
            new WebDriverWait(browser, WAIT).until(d -> text("message").startsWith(start));
        } catch (TimeoutException e) {
            throw new AssertionError("expected the page to say \"" + start + "…\", it says \"" + text("message")
                    + "\"", e);
        }
    }

    private void awaitSignedIn() {
        try {
            new WebDriverWait(browser, WAIT).until(d -> element("signed-in").isDisplayed()
                    && !text("user-email").isEmpty());
        } catch (TimeoutException e) {
            throw new AssertionError("not signed in; the page says \"" + text("message") + "\"", e);
        }
        assertThat(text("user-email")).isEqualTo(EMAIL);
        assertThat(element("signed-out").isDisplayed()).isFalse();
    }

    private static DefaultJWTProcessor<SecurityContext> verifier(String issuer) throws Exception {
        var keys = JWKSourceBuilder.<SecurityContext>create(new URL(issuer + "/.well-known/jwks.json"))
                .retrying(false).build();
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(issuer,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "jti", "amr")));
        return processor;
    }
}
