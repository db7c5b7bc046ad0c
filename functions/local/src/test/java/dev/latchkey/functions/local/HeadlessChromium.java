package dev.latchkey.functions.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Headless Chromium for the local server's browser tests (the demo page, the API reference, the sign-in proofs of
 * issue 15 §6), started one way: Debian's {@code chromium} and {@code chromium-driver} (which {@code .ci/run}
 * installs), named explicitly so Selenium Manager never runs; a skip without them, a failure under {@code CI=true}.
 * The page helpers find Latchkey's hosted sign-in page the way a person (or a screen reader) does: inputs by their
 * label ({@code Email}, {@code Password}) and buttons by their text ({@code Sign in}, {@code Sign in with a passkey}),
 * not by ids. The demo page, which the tests address by ids, has its own helpers: {@link DemoPage}.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Skips the calling test without Chromium (fails under CI); otherwise a new browser with an empty profile. */
    static HeadlessChromium start() {
        return start(1100, 1000);
    }

    /** As {@link #start()}, with a window of this size (what the screenshots show). */
    static HeadlessChromium start(int width, int height) {
        return start(width, height, false);
    }

    /** As {@link #start(int, int)}, keeping every message of the browser's console for {@link #consoleLog()}. */
    static HeadlessChromium startWithConsoleLog(int width, int height) {
        return start(width, height, true);
    }

    private static HeadlessChromium start(int width, int height, boolean consoleLog) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the browser tests: .ci/run installs chromium and chromium-driver");
        }
        Assumptions.assumeTrue(installed, "needs /usr/bin/chromium and /usr/bin/chromedriver "
                + "(apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height);
        if (consoleLog) {
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options));
    }

    ChromeDriver driver() {
        return driver;
    }

    /** A platform authenticator with resident keys and user verification, as a laptop's passkey store. */
    VirtualAuthenticator addPasskeyAuthenticator() {
        return ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true));
    }

    /**
     * Makes every page of this browser report that passkey autofill (conditional mediation) is not available, as a
     * browser without it would; then a page's passkey button is the one way to use a passkey.
     */
    void withoutPasskeyAutofill() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "if (window.PublicKeyCredential) { PublicKeyCredential.isConditionalMediationAvailable = "
                        + "() => Promise.resolve(false); }"));
    }

    /**
     * The browser console's messages since the last call: of every level after {@link #startWithConsoleLog}, of the
     * levels ChromeDriver keeps by default otherwise.
     */
    List<String> consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    void open(String url) {
        driver.get(url);
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Waits for the element with this id to show and answers it. */
    WebElement shown(String id) {
        return awaitElement(By.id(id), "#" + id);
    }

    /** Waits for the element with this id and answers its text. */
    String text(String id) {
        return shown(id).getText();
    }

    /** Whether the page shows an input labelled {@code label} now. */
    boolean showsInput(String label) {
        WebElement input = labelled(label);
        return input != null && input.isDisplayed();
    }

    /** Waits for the input whose label reads {@code label} (the label's control) and answers it. */
    WebElement input(String label) {
        return await(() -> labelled(label), "an input labelled \"" + label + "\"");
    }

    /** Waits for the button whose text reads {@code text} and answers it. */
    WebElement button(String text) {
        return await(() -> findButton(text), "a button \"" + text + "\"");
    }

    /** Types into the input whose label reads {@code label} (waiting for it). */
    void type(String label, String value) {
        WebElement input = input(label);
        input.clear();
        input.sendKeys(value);
    }

    /** Clicks the button whose text reads {@code text} (waiting for it). */
    void press(String text) {
        button(text).click();
    }

    /**
     * On Latchkey's hosted sign-in page: types the email and the password into the inputs labelled {@code Email} and
     * {@code Password} and presses {@code Sign in}, as a person does.
     */
    void signIn(String email, String password) {
        type("Email", email);
        type("Password", password);
        press("Sign in");
    }

    /** Clicks the element with this id (waiting for it): a link, where {@link #press} finds buttons. */
    void click(String id) {
        shown(id).click();
    }

    /** Waits until the address starts with {@code prefix}; fails with the page's text otherwise. */
    void awaitUrl(String prefix) {
        try {
            new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().startsWith(prefix));
        } catch (TimeoutException e) {
            throw new AssertionError("expected to arrive at " + prefix + "…, the browser is at " + currentUrl()
                    + " showing: " + bodyText(), e);
        }
    }

    /**
     * Waits until the browser arrives at {@code redirectUri} with a query (an authorization response) and answers the
     * query's parameters, decoded.
     */
    Map<String, String> awaitRedirect(String redirectUri) {
        awaitUrl(redirectUri + "?");
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : URI.create(currentUrl()).getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            values.put(pair.substring(0, equals),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    String bodyText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(no page)";
        }
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private WebElement awaitElement(By by, String what) {
        return await(() -> {
            List<WebElement> found = driver.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        }, what);
    }

    private WebElement await(Supplier<WebElement> find, String what) {
        try {
            return new WebDriverWait(driver, WAIT).until(d -> {
                WebElement element = find.get();
                return element != null && element.isDisplayed() ? element : null;
            });
        } catch (TimeoutException e) {
            throw new AssertionError("no " + what + " at " + currentUrl() + "; the page shows: " + bodyText(), e);
        }
    }

    private WebElement labelled(String label) {
        return (WebElement) ((JavascriptExecutor) driver).executeScript("const label = [...document.querySelectorAll"
                + "('label')].find(l => l.textContent.trim() === arguments[0]); return label ? label.control : null;",
                label);
    }

    private WebElement findButton(String text) {
        return (WebElement) ((JavascriptExecutor) driver).executeScript("return [...document.querySelectorAll("
                + "'button, input[type=submit]')].find(b => (b.tagName === 'BUTTON' ? b.textContent : b.value)"
                + ".trim() === arguments[0]) ?? null;", text);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
