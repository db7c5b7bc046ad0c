package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.mfa.Base32;
import dev.latchkey.core.mfa.Totp;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

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

    private static final Path SCREENSHOT = Path.of("target", "mfa-demo-enrolment.png");

    private static final String NAME = "Katherine Johnson";
    private static final String EMAIL = "katherine.johnson@example.com";
    private static final String PASSWORD = "Orbit-Trajectory-Friendship-7";

    @TempDir
    Path dataDir;

    private LocalServer server;
    private HeadlessChromium browser;
    private DemoPage page;

    @BeforeEach
    void start() {
        browser = HeadlessChromium.start(1100, 1400);
        page = new DemoPage(browser);
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
    void enrolTotpFromTheQrPageThenSignInWithPasswordAndCodeThenWithARecoveryCode() throws Exception {
        browser.open(server.url() + "/");

        page.signUp(NAME, EMAIL, PASSWORD);
        signInWithPassword();
        page.awaitSignedIn(EMAIL, "mfa-status");
        assertThat(page.text("mfa-status")).startsWith("Off");

        // Enrol: the page shows the QR code (SVG drawn by the server) and the otpauth:// URI it encodes.
        page.click("mfa-enrol-button");
        page.awaitMessage("Scan the QR code");
        assertThat(browser.driver().findElements(By.cssSelector("#mfa-qr svg"))).as("the QR code as SVG").hasSize(1);
        assertThat(browser.driver().findElement(By.cssSelector("#mfa-qr svg")).getSize().getWidth()).isPositive();
        String uri = page.text("mfa-uri");
        assertThat(uri).startsWith("otpauth://totp/").contains("issuer=").contains("algorithm=SHA1")
                .contains("digits=6").contains("period=30");
        byte[] secret = secretOf(uri);
        assertThat(secret).as("160 bits (RFC 4226 §4 R6)").hasSize(20);
        browser.screenshot(SCREENSHOT);

        // Confirm with the app's current code: ten recovery codes, shown once.
        long confirmed = Totp.step(Instant.now());
        page.type("mfa-confirm-code", code(secret, confirmed));
        page.click("mfa-confirm-button");
        page.awaitMessage("Two-factor sign-in is on");
        List<String> recoveryCodes = browser.driver().findElements(By.cssSelector("#mfa-recovery-codes li")).stream()
                .map(WebElement::getText).toList();
        assertThat(recoveryCodes).hasSize(10).allMatch(c -> c.matches("[0-9a-z]{5}-[0-9a-z]{5}"));
        assertThat(page.text("mfa-status")).startsWith("On").contains("10 recovery codes left");
        assertThat(page.element("mfa-qr").findElements(By.tagName("svg"))).as("the secret is gone from the page")
                .isEmpty();

        // The password alone no longer signs in: the page asks for the code. The confirming code is spent, so the
        // next step's code (±1 step is accepted).
        page.signOut();
        signInWithPassword();
        page.awaitMessage("Password accepted");
        assertThat(page.element("mfa-login").isDisplayed()).isTrue();
        assertThat(page.element("signed-in").isDisplayed()).isFalse();
        page.type("mfa-login-code", code(secret, confirmed + 1));
        page.click("mfa-login-button");
        page.awaitSignedIn(EMAIL, "mfa-status");
        page.awaitMessage("Signed in with a password and a code");
        assertThat(Arrays.asList(page.text("user-amr").split(", "))).contains("pwd", "otp", "mfa");

        // Phone lost: a recovery code instead, once.
        page.signOut();
        signInWithPassword();
        page.awaitMessage("Password accepted");
        page.type("mfa-recovery-code", recoveryCodes.get(0));
        page.click("mfa-recovery-button");
        page.awaitSignedIn(EMAIL, "mfa-status");
        page.awaitMessage("Signed in with a password and a recovery code");
        assertThat(Arrays.asList(page.text("user-amr").split(", "))).contains("pwd", "mfa").doesNotContain("otp");
        assertThat(page.text("mfa-status")).contains("9 recovery codes left");

        page.signOut();
        signInWithPassword();
        page.awaitMessage("Password accepted");
        page.type("mfa-recovery-code", recoveryCodes.get(0));
        page.click("mfa-recovery-button");
        page.awaitMessage("The code is incorrect or was already used");
        assertThat(page.element("signed-in").isDisplayed()).isFalse();
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
        page.type("login-email", EMAIL);
        page.type("login-password", PASSWORD);
        page.click("login-button");
    }
}
