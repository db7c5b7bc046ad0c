package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 21 §5 in a real browser: the demo page's API-key section draws the organization's daily verification counts
 * ({@code GET /v1/orgs/{orgId}/api-keys/analytics}) as an SVG sparkline. Headless Chromium, as
 * {@link PasskeyBrowserTest}; skips without it except under CI.
 */
class ApiKeyAnalyticsBrowserTest {

    private static final Path SCREENSHOT = Path.of("target", "api-key-analytics-demo.png");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private LocalServer server;
    private HeadlessChromium browser;
    private DemoPage page;

    @BeforeEach
    void start() {
        browser = HeadlessChromium.start(1100, 1400);
        page = new DemoPage(browser, WAIT);
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
    @DisplayName("the demo page's sparkline shows today's verifications of a key made and verified from the page")
    void demoPageWhenKeyVerifiedThenSparklineDrawsTheAnalyticsRoute() throws Exception {
        browser.open(server.url() + "/");
        page.signUp("Ada Lovelace", "ada.sparkline@example.com", "Analytical-Engine-1843");
        page.type("login-password", "Analytical-Engine-1843");
        page.click("login-button");
        page.awaitMessage("Signed in");
        new WebDriverWait(browser.driver(), WAIT).until(d -> page.element("verification-sparkline")
                .findElements(By.tagName("polyline")).size() == 1);

        page.click("verify-demo-key-button");
        page.awaitMessage("A key was made and verified");

        WebElement line = page.element("verification-sparkline").findElement(By.tagName("polyline"));
        assertThat(line.getDomAttribute("points").split(" ")).hasSize(30);
        String[] values = page.element("verification-sparkline").getDomAttribute("data-values").split(",");
        assertThat(values).hasSize(30);
        assertThat(values[29]).isEqualTo("4");
        assertThat(Arrays.stream(values, 0, 29)).containsOnly("0");
        assertThat(page.text("verification-total")).isEqualTo("4");
        assertThat(page.text("verification-valid")).isEqualTo("3");
        browser.screenshot(SCREENSHOT);
    }
}
