package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 17 item 6: the API reference renders in a real browser. Headless Chromium follows the demo page's link to
 * {@code /docs}; Swagger UI (from its WebJar inside the local jar, no CDN) loads {@code docs/openapi.yaml} under the
 * page's strict Content-Security-Policy and shows every operation; the browser reports no CSP violation. A screenshot
 * goes to {@code target/docs-page.png}. Skips without Chromium as {@link PasskeyBrowserTest} does (fails under CI).
 */
class DocsBrowserTest {

    private static final Path SCREENSHOT = Path.of("target", "docs-page.png");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private LocalServer server;
    private HeadlessChromium browser;

    @BeforeEach
    void start() {
        browser = HeadlessChromium.startWithConsoleLog(1200, 1400);
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
    void docsWhenOpenedFromTheDemoPageThenEveryOperationRendersUnderTheStrictPolicy() throws Exception {
        browser.open(server.url() + "/");
        new DemoPage(browser).click("api-docs-link");
        ChromeDriver driver = browser.driver();
        new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector(".opblock")).size() > 50);

        assertThat(browser.currentUrl()).endsWith("/docs");
        assertThat(driver.findElement(By.cssSelector(".info .title")).getText()).startsWith("Latchkey");
        List<String> summaries = driver.findElements(By.cssSelector(".opblock-summary-path")).stream()
                .map(e -> e.getAttribute("data-path")).toList();
        assertThat(summaries).contains("/v1/auth/login/password", "/oauth/token", "/v1/api-keys/verify",
                "/health/ready");
        List<String> violations = browser.consoleLog().stream().filter(m -> m.contains("Content Security Policy")
                || m.contains("Content-Security-Policy")).toList();
        assertThat(violations).as("CSP violations").isEmpty();

        browser.screenshot(SCREENSHOT);
        assertThat(Files.size(SCREENSHOT)).isPositive();
    }
}
