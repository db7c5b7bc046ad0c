package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The local server's demo page ({@code GET /}, {@code demo/index.html}) in a {@link HeadlessChromium}, addressed by
 * its element ids as {@link PasskeyBrowserTest} and the other demo-page tests drive it. An element is looked up when it
 * is used, without waiting for it (a hidden or missing one fails the step at once); what the page does after a click
 * is awaited through its status line ({@code #message}), which shows either the step's result or the API's error.
 */
final class DemoPage {

    private final HeadlessChromium browser;
    private final Duration wait;

    /** The page in this browser, waiting {@link HeadlessChromium#WAIT} for its status line. */
    DemoPage(HeadlessChromium browser) {
        this(browser, HeadlessChromium.WAIT);
    }

    DemoPage(HeadlessChromium browser, Duration wait) {
        this.browser = browser;
        this.wait = wait;
    }

    WebElement element(String id) {
        return driver().findElement(By.id(id));
    }

    String text(String id) {
        return element(id).getText();
    }

    void type(String id, String value) {
        WebElement input = element(id);
        input.clear();
        input.sendKeys(value);
    }

    void click(String id) {
        element(id).click();
    }

    /** Waits until the status line starts with this text; fails with what it says instead (an API error). */
    void awaitMessage(String start) {
        try {
            new WebDriverWait(driver(), wait).until(d -> text("message").startsWith(start));
        } catch (TimeoutException e) {
            throw new AssertionError("expected the page to say \"" + start + "…\", it says \"" + text("message")
                    + "\"", e);
        }
    }

    /**
     * Waits until the page shows the signed-in section with the user's email and text in each of the {@code filled}
     * elements (those the page fills in from further requests); then the email must be {@code email}.
     */
    void awaitSignedIn(String email, String... filled) {
        try {
            new WebDriverWait(driver(), wait).until(d -> element("signed-in").isDisplayed()
                    && !text("user-email").isEmpty() && Arrays.stream(filled).noneMatch(id -> text(id).isEmpty()));
        } catch (TimeoutException e) {
            throw new AssertionError("not signed in; the page says \"" + text("message") + "\"", e);
        }
        assertThat(text("user-email")).isEqualTo(email);
    }

    /** Creates an account with the form under "Create an account"; the page then fills in the sign-in email. */
    void signUp(String name, String email, String password) {
        type("register-name", name);
        type("register-email", email);
        type("register-password", password);
        click("register-button");
        awaitMessage("Account created");
    }

    /** Signed in: adds a passkey with this nickname to the browser's authenticator. */
    void addPasskey(String nickname) {
        type("passkey-nickname", nickname);
        click("add-passkey-button");
        awaitMessage("Passkey \"" + nickname + "\" added");
    }

    /** Signed in: signs out (the page forgets its tokens). */
    void signOut() {
        click("logout-button");
        awaitMessage("Signed out");
    }

    /** The access token the page holds ({@code window.latchkeyDemo}), or {@code null} when signed out. */
    String accessToken() {
        return (String) driver().executeScript("return window.latchkeyDemo.accessToken();");
    }

    private ChromeDriver driver() {
        return browser.driver();
    }
}
