package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
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
 * Issue 21 §5 in a real browser: the demo page's API-key section draws the organization's daily verification counts
 * ({@code GET /v1/orgs/{orgId}/api-keys/analytics}) as an SVG sparkline. Headless Chromium, as
 * {@link PasskeyBrowserTest}; skips without it except under CI.
 */
class ApiKeyAnalyticsBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "api-key-analytics-demo.png");
    private static final Duration WAIT = Duration.ofSeconds(30);

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
    @DisplayName("the demo page's sparkline shows today's verifications of a key made and verified from the page")
    void demoPageWhenKeyVerifiedThenSparklineDrawsTheAnalyticsRoute() throws Exception {
        browser.get(server.url() + "/");
        type("register-name", "Ada Lovelace");
        type("register-email", "ada.sparkline@example.com");
        type("register-password", "Analytical-Engine-1843");
        element("register-button").click();
        awaitMessage("Account created");
        type("login-password", "Analytical-Engine-1843");
        element("login-button").click();
        awaitMessage("Signed in");
        new WebDriverWait(browser, WAIT).until(d -> element("verification-sparkline")
                .findElements(By.tagName("polyline")).size() == 1);

        element("verify-demo-key-button").click();
        awaitMessage("A key was made and verified");

        WebElement line = element("verification-sparkline").findElement(By.tagName("polyline"));
        assertThat(line.getDomAttribute("points").split(" ")).hasSize(30);
        String[] values = element("verification-sparkline").getDomAttribute("data-values").split(",");
        assertThat(values).hasSize(30);
        assertThat(values[29]).isEqualTo("4");
        assertThat(Arrays.stream(values, 0, 29)).containsOnly("0");
        assertThat(element("verification-total").getText()).isEqualTo("4");
        assertThat(element("verification-valid").getText()).isEqualTo("3");
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private WebElement element(String id) {
        return browser.findElement(By.id(id));
    }

    private void type(String id, String value) {
        WebElement input = element(id);
        input.clear();
        input.sendKeys(value);
    }

    private void awaitMessage(String start) {
        try {
            new WebDriverWait(browser, WAIT).until(d -> element("message").getText().startsWith(start));
        } catch (TimeoutException e) {
            throw new AssertionError("expected \"" + start + "…\", the page says \"" + element("message").getText()
                    + "\"", e);
        }
    }
}
