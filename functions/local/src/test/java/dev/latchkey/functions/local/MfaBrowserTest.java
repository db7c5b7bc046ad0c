package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.mfa.Base32;
import dev.latchkey.core.mfa.Totp;
import java.io.File;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two-factor sign-in in a real browser (issue 14 item 8): headless Chromium drives the local server's demo page —
 * sign up → sign in with the password → set up an authenticator app (the page shows the QR code as SVG and the
 * {@code otpauth://} URI) → confirm with a code → ten recovery codes → sign out → the password alone now asks for a
 * code → sign in with password + code ({@code amr} {@code otp}, {@code mfa}) → sign out → password + a recovery code
 * ({@code mfa}, nine left) → the same recovery code again is refused. The test is the authenticator app: it reads
 * the secret from the URI on the page and computes RFC 6238 codes with core's {@link Totp}. A screenshot of the
 * enrolment goes to {@code target/mfa-demo-enrolment.png}.
 *
 * <p>Like {@link PasskeyBrowserTest}: skips without {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver}, except
 * under CI ({@code CI=true}), where it fails instead.
 */
class MfaBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "mfa-demo-enrolment.png");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String NAME = "Katherine Johnson";
    private static final String EMAIL = "katherine.johnson@example.com";
    private static final String PASSWORD = "Orbit-Trajectory-Friendship-7";

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
        server = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString()));
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1400");
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
    void enrolTotpFromTheQrPageThenSignInWithPasswordAndCodeThenWithARecoveryCode() throws Exception {
        browser.get(server.url() + "/");

        type("register-name", NAME);
        type("register-email", EMAIL);
        type("register-password", PASSWORD);
        click("register-button");
        awaitMessage("Account created");
        signInWithPassword();
        awaitSignedIn();
        assertThat(text("mfa-status")).startsWith("Off");

        // Enrol: the page shows the QR code (SVG drawn by the server) and the otpauth:// URI it encodes.
        click("mfa-enrol-button");
        awaitMessage("Scan the QR code");
        assertThat(browser.findElements(By.cssSelector("#mfa-qr svg"))).as("the QR code as SVG").hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#mfa-qr svg")).getSize().getWidth()).isPositive();
        String uri = text("mfa-uri");
        assertThat(uri).startsWith("otpauth://totp/").contains("issuer=").contains("algorithm=SHA1")
                .contains("digits=6").contains("period=30");
        byte[] secret = secretOf(uri);
        assertThat(secret).as("160 bits (RFC 4226 §4 R6)").hasSize(20);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);

        // Confirm with the app's current code: ten recovery codes, shown once.
        long confirmed = Totp.step(Instant.now());
        type("mfa-confirm-code", code(secret, confirmed));
        click("mfa-confirm-button");
        awaitMessage("Two-factor sign-in is on");
        List<String> recoveryCodes = browser.findElements(By.cssSelector("#mfa-recovery-codes li")).stream()
                .map(WebElement::getText).toList();
        assertThat(recoveryCodes).hasSize(10).allMatch(c -> c.matches("[0-9a-z]{5}-[0-9a-z]{5}"));
        assertThat(text("mfa-status")).startsWith("On").contains("10 recovery codes left");
        assertThat(element("mfa-qr").findElements(By.tagName("svg"))).as("the secret is gone from the page")
                .isEmpty();

        // The password alone no longer signs in: the page asks for the code. The confirming code is spent, so the
        // next step's code (±1 step is accepted).
        signOut();
        signInWithPassword();
        awaitMessage("Password accepted");
        assertThat(element("mfa-login").isDisplayed()).isTrue();
        assertThat(element("signed-in").isDisplayed()).isFalse();
        type("mfa-login-code", code(secret, confirmed + 1));
        click("mfa-login-button");
        awaitSignedIn();
        awaitMessage("Signed in with a password and a code");
        assertThat(Arrays.asList(text("user-amr").split(", "))).contains("pwd", "otp", "mfa");

        // Phone lost: a recovery code instead, once.
        signOut();
        signInWithPassword();
        awaitMessage("Password accepted");
        type("mfa-recovery-code", recoveryCodes.get(0));
        click("mfa-recovery-button");
        awaitSignedIn();
        awaitMessage("Signed in with a password and a recovery code");
        assertThat(Arrays.asList(text("user-amr").split(", "))).contains("pwd", "mfa").doesNotContain("otp");
        assertThat(text("mfa-status")).contains("9 recovery codes left");

        signOut();
        signInWithPassword();
        awaitMessage("Password accepted");
        type("mfa-recovery-code", recoveryCodes.get(0));
        click("mfa-recovery-button");
        awaitMessage("The code is incorrect or was already used");
        assertThat(element("signed-in").isDisplayed()).isFalse();
    }

    /** The {@code secret} parameter of an {@code otpauth://} URI, decoded as an authenticator app does. */
    private static byte[] secretOf(String otpauth) {
        String query = URI.create(otpauth).getRawQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("secret=")) {
                return Base32.decode(URLDecoder.decode(pair.substring("secret=".length()), StandardCharsets.UTF_8));
            }
        }
        throw new AssertionError("no secret in " + otpauth.replaceAll("secret=[^&]*", "secret=…"));
    }

    private static String code(byte[] secret, long step) {
        return Totp.code(secret, step, Totp.Algorithm.SHA1, Totp.DIGITS);
    }

    private void signInWithPassword() {
        type("login-email", EMAIL);
        type("login-password", PASSWORD);
        click("login-button");
    }

    private void signOut() {
        click("logout-button");
        awaitMessage("Signed out");
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
                    && !text("user-email").isEmpty() && !text("mfa-status").isEmpty());
        } catch (TimeoutException e) {
            throw new AssertionError("not signed in; the page says \"" + text("message") + "\"", e);
        }
        assertThat(text("user-email")).isEqualTo(EMAIL);
    }
}
