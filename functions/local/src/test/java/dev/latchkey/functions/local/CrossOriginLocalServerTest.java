package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 17 item 4, CORS through the local server, configured with {@code LATCHKEY_CORS_ALLOWED_ORIGINS} as API
 * Gateway's {@code CorsConfiguration} is: preflights from an allowed and a foreign origin, the headers added to real
 * answers, and a real browser (headless Chromium) where a page served from another origin calls the API — allowed, it
 * reads the answers (a simple GET and a preflighted JSON POST); foreign, the browser refuses to hand it anything.
 *
 * <p>The browser part ({@link HeadlessChromium}) skips without {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} except under CI, as {@link PasskeyBrowserTest} does.
 */
class CrossOriginLocalServerTest {

    /** The page every app origin serves: its script calls the API named in the query and prints what it got. */
    private static final String PAGE = "<!doctype html><html><head><meta charset=\"utf-8\"><title>app</title>"
            + "<script src=\"/app.js\" defer></script></head><body><pre id=\"result\"></pre></body></html>";
    private static final String SCRIPT = """
            const api = new URLSearchParams(location.search).get('api');
            const out = document.getElementById('result');
            async function run() {
              const lines = [];
              try {
                const health = await fetch(api + '/health/live');
                lines.push('health ' + health.status + ' ' + (await health.json()).status);
                const login = await fetch(api + '/v1/auth/login/password', {method: 'POST',
                    headers: {'content-type': 'application/json'},
                    body: JSON.stringify({email: 'nobody@example.com', password: 'not-the-password-1'})});
                lines.push('login ' + login.status + ' ' + (await login.json()).error.code);
              } catch (e) {
                lines.push('blocked ' + e.name);
              }
              out.textContent = lines.join('\\n');
              out.setAttribute('data-done', 'true');
            }
            run();
            """;

    @TempDir
    static Path dataDir;

    private static HttpServer allowedApp;
    private static HttpServer foreignApp;
    private static LocalServer server;
    private static String allowedOrigin;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        allowedApp = app();
        foreignApp = app();
        allowedOrigin = "http://127.0.0.1:" + allowedApp.getAddress().getPort();
        server = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString(),
                "LATCHKEY_CORS_ALLOWED_ORIGINS", allowedOrigin + ",https://app.example.com",
                "LATCHKEY_CORS_MAX_AGE_SECONDS", "300"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        allowedApp.stop(0);
        foreignApp.stop(0);
    }

    private static HttpServer app() throws IOException {
        HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            boolean script = exchange.getRequestURI().getPath().equals("/app.js");
            byte[] body = (script ? SCRIPT : PAGE).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", script ? "text/javascript" : "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        return app;
    }

    private static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void preflightWhenOriginAllowedThen204WithTheApiMethodsHeadersAndMaxAge() throws Exception {
        HttpResponse<String> answer = send("OPTIONS", "/v1/orgs/org_1/api-keys", "Origin", allowedOrigin,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type");

        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(answer.headers().firstValue("access-control-allow-origin")).hasValue(allowedOrigin);
        assertThat(answer.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST,PUT,PATCH,DELETE");
        assertThat(answer.headers().firstValue("access-control-allow-headers"))
                .hasValue("authorization,content-type,if-none-match,x-api-key");
        assertThat(answer.headers().firstValue("access-control-max-age")).hasValue("300");
        assertThat(answer.headers().firstValue("access-control-allow-credentials")).isEmpty();
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void preflightWhenOriginForeignThen204WithoutAnyAllowHeader() throws Exception {
        HttpResponse<String> answer = send("OPTIONS", "/v1/auth/login/password", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST");

        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(answer.headers().map().keySet()).noneMatch(name -> name.startsWith("access-control-"));
    }

    @Test
    void requestWhenOriginAllowedThenAnswerNamesThatOriginAndExposesHeadersElseNothing() throws Exception {
        HttpResponse<String> allowed = send("GET", "/.well-known/jwks.json", "Origin", "https://app.example.com");
        HttpResponse<String> foreign = send("GET", "/.well-known/jwks.json", "Origin", "https://evil.example");
        HttpResponse<String> plain = send("GET", "/.well-known/jwks.json");

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
        assertThat(allowed.headers().firstValue("access-control-expose-headers").orElseThrow()).contains("etag")
                .contains("retry-after").contains("www-authenticate");
        assertThat(foreign.statusCode()).isEqualTo(200);
        assertThat(foreign.headers().map().keySet()).noneMatch(name -> name.startsWith("access-control-"));
        assertThat(plain.headers().map().keySet()).noneMatch(name -> name.startsWith("access-control-"));
    }

    @Test
    void optionsWithoutPreflightHeadersWhenSentThenRoutedAsBefore() throws Exception {
        HttpResponse<String> answer = send("OPTIONS", "/health/live");

        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(answer.body()).contains("METHOD_NOT_ALLOWED");
    }

    @Test
    void browserPageOnAllowedOriginReadsAnswersAndOnForeignOriginIsRefused() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            assertThat(pageResult(browser, allowedOrigin))
                    .isEqualTo("health 200 up\nlogin 401 AUTHENTICATION_FAILED");
            assertThat(pageResult(browser, "http://127.0.0.1:" + foreignApp.getAddress().getPort()))
                    .isEqualTo("blocked TypeError");
        }
    }

    private static String pageResult(HeadlessChromium browser, String origin) {
        // The API at localhost, the page at 127.0.0.1: another host, so another origin.
        browser.open(origin + "/app.html?api=" + server.url());
        new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> "true".equals(
                d.findElement(By.id("result")).getDomAttribute("data-done")));
        return browser.driver().findElement(By.id("result")).getText();
    }
}
