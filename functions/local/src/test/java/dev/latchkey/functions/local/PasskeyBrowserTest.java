package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

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
 * Manager never runs: {@link HeadlessChromium} sets the driver and the browser binary explicitly.
 */
class PasskeyBrowserTest {

    private static final Path SCREENSHOT = Path.of("target", "passkey-demo-signed-in.png");

    private static final String NAME = "Grace Hopper";
    private static final String EMAIL = "grace.hopper@example.com";
    private static final String PASSWORD = "Cobol-Nanosecond-Moth-47";

    @TempDir
    Path dataDir;

    private LocalServer server;
    private HeadlessChromium browser;
    private DemoPage page;

    @BeforeEach
    void start() {
        browser = HeadlessChromium.start(1100, 1000);
        page = new DemoPage(browser);
        // Configured as `java -jar latchkey-local.jar` is: the issuer defaults to the server's own URL
        // (http://localhost:<port>), and with it the RP id (localhost) and the one allowed origin, the page's.
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
    void signUpAddAPasskeySignOutAndSignBackInWithThePasskeyAlone() throws Exception {
        browser.open(server.url() + "/");
        VirtualAuthenticator authenticator = browser.addPasskeyAuthenticator();

        // Sign up.
        page.signUp(NAME, EMAIL, PASSWORD);

        // Sign in with the password (the email is filled in after sign-up; the address is not verified yet).
        assertThat(page.element("login-email").getDomProperty("value")).isEqualTo(EMAIL);
        page.type("login-password", PASSWORD);
        page.click("login-button");
        awaitSignedIn();
        assertThat(page.text("user-amr")).isEqualTo("pwd");
        assertThat(page.text("passkey-count")).isEqualTo("0");

        // Add a passkey.
        page.addPasskey("Test laptop");
        assertThat(page.text("passkey-count")).isEqualTo("1");
        assertThat(browser.driver().findElements(By.cssSelector("#passkey-list li.passkey"))).hasSize(1);
        assertThat(page.text("passkey-list")).contains("Test laptop").contains("never used");
        assertThat(authenticator.getCredentials()).hasSize(1)
                .allSatisfy(c -> assertThat(c.isResidentCredential()).as("a discoverable credential").isTrue());
        Credential credential = authenticator.getCredentials().get(0);
        assertThat(credential.getRpId()).isEqualTo("localhost");

        // Sign out: the page forgets the tokens.
        page.signOut();
        assertThat(page.element("signed-in").isDisplayed()).isFalse();
        assertThat(page.accessToken()).isNull();

        // Sign in with the passkey: nothing typed, the authenticator offers the resident credential.
        page.click("passkey-login-button");
        awaitSignedIn();
        page.awaitMessage("Signed in with a passkey");
        assertThat(page.text("user-name")).isEqualTo(NAME);
        assertThat(page.text("user-email")).isEqualTo(EMAIL);
        assertThat(page.text("user-amr")).contains("hwk");
        assertThat(page.text("passkey-list")).contains("Test laptop").contains("last used");
        assertThat(authenticator.getCredentials().get(0).getSignCount()).isPositive();

        browser.screenshot(SCREENSHOT);
        assertThat(Files.size(SCREENSHOT)).isPositive();

        // The passkey login's access token verifies from the JWKS URL alone.
        String token = page.accessToken();
        assertThat(token).isNotBlank();
        JWTClaimsSet claims = verifier(server.url().toString()).process(token, null);
        assertThat(claims.getSubject()).isEqualTo(page.text("user-id")).startsWith("usr_");
        assertThat(claims.getStringListClaim("amr")).contains("hwk");
        assertThat(claims.getAudience()).contains(server.url().toString());
    }

    private void awaitSignedIn() {
        page.awaitSignedIn(EMAIL);
        assertThat(page.element("signed-out").isDisplayed()).isFalse();
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
