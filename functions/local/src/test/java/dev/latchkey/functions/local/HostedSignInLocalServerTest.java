package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.authorize.AuthorizationCode;
import dev.latchkey.core.http.Json;
import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The hosted pages over real HTTP on the local server, as a browser uses them (java.net.http with a cookie store):
 * authorize → sign-in page → the login route → {@code POST /oauth/signin} (the {@code __Host-} cookie) → the code at
 * the redirect URI with {@code state} and {@code iss}; single sign-on with {@code prompt=none}; CSRF and Origin
 * refusals; consent for a third-party application; logout ends the session; a revoked Latchkey session ends single
 * sign-on.
 */
class HostedSignInLocalServerTest {

    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String PASSWORD = "Kestrel-Harbour-Lantern-93";
    private static final Pattern DATA = Pattern.compile("data-(csrf|request)=\"([^\"]*)\"");
    private static final Pattern HIDDEN = Pattern.compile("name=\"([a-z_]+)\" value=\"([^\"]*)\"");

    @TempDir
    static Path dataDir;

    private static LocalServer server;
    private static String origin;
    private static Application firstParty;
    private static Application thirdParty;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString()));
        origin = server.url().toString().replaceAll("/$", "");
        firstParty = SignInApplications.register(server, b -> b.redirectUris("https://rp.example/callback")
                .postLogoutRedirectUris("https://rp.example/signed-out"));
        thirdParty = SignInApplications.register(server, b -> b.name("Other <App>")
                .redirectUris("https://third.example/cb").firstParty(false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A browser: its own cookie jar, which (like Chromium) keeps Secure cookies of http://localhost. */
    private static final class Browser {
        final CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER);
        final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new LocalhostIsSecure(jar)).build();

        HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(origin + pathAndQuery)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String contentType, String body, Map<String, String> headers)
                throws IOException, InterruptedException {
            var request = HttpRequest.newBuilder(URI.create(origin + path)).header("content-type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpCookie cookie(String name) {
            return jar.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst()
                    .orElse(null);
        }
    }

    /** Chromium and Firefox treat http://localhost as a secure context; java.net.CookieManager does not. */
    private static final class LocalhostIsSecure extends CookieHandler {
        private final CookieManager jar;

        LocalhostIsSecure(CookieManager jar) {
            this.jar = jar;
        }

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            return jar.get(secure(uri), headers);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) throws IOException {
            jar.put(secure(uri), headers);
        }

        private static URI secure(URI uri) {
            return URI.create(uri.toString().replaceFirst("^http://localhost:", "https://localhost:"));
        }
    }

    private static String authorizeQuery(Application app, String redirectUri, String extra) {
        return "/oauth/authorize?response_type=code&client_id=" + app.clientId() + "&redirect_uri="
                + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + "&scope=openid%20email&state=st-42"
                + "&nonce=n-42&code_challenge=" + CHALLENGE + "&code_challenge_method=S256" + extra;
    }

    private static Map<String, String> pageData(String html) {
        Map<String, String> data = new LinkedHashMap<>();
        Matcher m = DATA.matcher(html);
        while (m.find()) {
            data.put(m.group(1), m.group(2).replace("&amp;", "&").replace("&quot;", "\""));
        }
        return data;
    }

    private static Map<String, String> query(String location) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String register(String email) throws Exception {
        var response = new Browser().post("/v1/auth/register", "application/json",
                Json.mapper().writeValueAsString(Map.of("email", email, "password", PASSWORD, "name", "Ada")),
                Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return email;
    }

    /** The sign-in page's whole script path: login route, then POST /oauth/signin; returns where to continue. */
    private static String signIn(Browser browser, String pageHtml, String email) throws Exception {
        Map<String, String> data = pageData(pageHtml);
        var login = browser.post("/v1/auth/login/password", "application/json",
                Json.mapper().writeValueAsString(Map.of("email", email, "password", PASSWORD)), Map.of());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String accessToken = Json.mapper().readTree(login.body()).path("access_token").asString();
        var signIn = browser.post("/oauth/signin", "application/json", Json.mapper().writeValueAsString(
                Map.of("request", data.get("request"), "csrf_token", data.get("csrf"))),
                Map.of("origin", origin, "authorization", "Bearer " + accessToken));
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
        return Json.mapper().readTree(signIn.body()).path("continue").asString();
    }

    @Test
    void authorizeThenSignInWithPasswordThenCodeAtTheRedirectUriWithStateAndIss() throws Exception {
        String email = register("sso-flow@example.com");
        Browser browser = new Browser();

        var page = browser.get(authorizeQuery(firstParty, "https://rp.example/callback", "&login_hint="
                + URLEncoder.encode(email, StandardCharsets.UTF_8)));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy")).get().asString()
                .startsWith("default-src 'none'");
        assertThat(page.body()).contains("<label for=\"email\">Email</label>").contains("value=\"" + email + "\"");
        assertThat(browser.cookie("__Host-latchkey_login")).isNotNull();

        String next = signIn(browser, page.body(), email);
        HttpCookie session = browser.cookie("__Host-latchkey_session");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSecure()).isTrue();
        assertThat(session.getPath()).isEqualTo("/");
        assertThat(next).startsWith("/oauth/authorize?").contains("client_id=" + firstParty.clientId());

        var redirect = browser.get(next);
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("location").orElseThrow();
        assertThat(location).startsWith("https://rp.example/callback?code=");
        Map<String, String> response = query(location);
        assertThat(response).containsEntry("state", "st-42").containsEntry("iss", origin);

        AuthorizationCode code = SignInApplications.redeem(server, response.get("code"));
        assertThat(code.clientId()).isEqualTo(firstParty.clientId());
        assertThat(code.nonce()).contains("n-42");
        assertThat(code.amr()).containsExactly("pwd");
        assertThat(code.userId()).startsWith("usr_");

        // Single sign-on: another request with prompt=none gets a code at once, no page.
        var silent = browser.get(authorizeQuery(firstParty, "https://rp.example/callback", "&prompt=none"));
        assertThat(silent.statusCode()).isEqualTo(302);
        assertThat(silent.headers().firstValue("location").orElseThrow()).contains("?code=");
    }

    @Test
    void promptNoneWithoutSessionThenLoginRequiredWithIssAndWrongRedirectUriThenErrorPage() throws Exception {
        Browser browser = new Browser();

        var none = browser.get(authorizeQuery(firstParty, "https://rp.example/callback", "&prompt=none"));
        var wrong = browser.get(authorizeQuery(firstParty, "https://evil.example/callback", ""));

        assertThat(none.statusCode()).isEqualTo(302);
        assertThat(query(none.headers().firstValue("location").orElseThrow()))
                .containsEntry("error", "login_required").containsEntry("state", "st-42").containsEntry("iss", origin);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.headers().firstValue("location")).isEmpty();
        assertThat(wrong.headers().firstValue("content-security-policy")).isPresent();
    }

    @Test
    void signInWhenCsrfTokenOrOriginIsWrongThenRefusedAndNoSessionCookie() throws Exception {
        String email = register("csrf@example.com");
        Browser browser = new Browser();
        var page = browser.get(authorizeQuery(firstParty, "https://rp.example/callback", ""));
        Map<String, String> data = pageData(page.body());
        var login = browser.post("/v1/auth/login/password", "application/json",
                Json.mapper().writeValueAsString(Map.of("email", email, "password", PASSWORD)), Map.of());
        String accessToken = Json.mapper().readTree(login.body()).path("access_token").asString();

        var wrongToken = browser.post("/oauth/signin", "application/json", Json.mapper().writeValueAsString(
                Map.of("request", data.get("request"), "csrf_token", "forged")),
                Map.of("origin", origin, "authorization", "Bearer " + accessToken));
        var crossSite = browser.post("/oauth/signin", "application/json", Json.mapper().writeValueAsString(
                Map.of("request", data.get("request"), "csrf_token", data.get("csrf"))),
                Map.of("origin", "https://evil.example", "authorization", "Bearer " + accessToken));
        var otherBrowser = new Browser().post("/oauth/signin", "application/json", Json.mapper()
                .writeValueAsString(Map.of("request", data.get("request"), "csrf_token", data.get("csrf"))),
                Map.of("origin", origin, "authorization", "Bearer " + accessToken));

        for (var refused : List.of(wrongToken, crossSite, otherBrowser)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        }
        assertThat(browser.cookie("__Host-latchkey_session")).isNull();
    }

    @Test
    void thirdPartyApplicationThenConsentPageListingScopesAndConsentRememberedAndCsrfChecked() throws Exception {
        String email = register("consent@example.com");
        Browser browser = new Browser();
        String request = authorizeQuery(thirdParty, "https://third.example/cb", "");
        String next = signIn(browser, browser.get(request).body(), email);

        var consent = browser.get(next);
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("Other &lt;App&gt; wants to access your account")
                .contains("<code>email</code>").contains("name=\"decision\" value=\"allow\"");
        assertThat(consent.headers().firstValue("content-security-policy")).get().asString()
                .contains("form-action 'self' https://third.example");
        Map<String, String> form = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(consent.body());
        while (m.find()) {
            form.put(m.group(1), m.group(2).replace("&amp;", "&"));
        }

        var forged = browser.post("/oauth/consent", "application/x-www-form-urlencoded",
                "decision=allow&csrf_token=forged&request=" + URLEncoder.encode(form.get("request"),
                        StandardCharsets.UTF_8), Map.of("origin", origin));
        assertThat(forged.statusCode()).isEqualTo(403);

        var allowed = browser.post("/oauth/consent", "application/x-www-form-urlencoded",
                "decision=allow&csrf_token=" + form.get("csrf_token") + "&request="
                        + URLEncoder.encode(form.get("request"), StandardCharsets.UTF_8), Map.of("origin", origin));
        assertThat(allowed.statusCode()).isEqualTo(303);
        assertThat(allowed.headers().firstValue("location").orElseThrow()).startsWith("https://third.example/cb?code=");

        var again = browser.get(request + "&prompt=none");
        assertThat(again.headers().firstValue("location").orElseThrow()).as("consent remembered")
                .startsWith("https://third.example/cb?code=");
    }

    @Test
    void logoutThenConfirmedWithCsrfEndsTheSessionAndSingleSignOn() throws Exception {
        String email = register("logout@example.com");
        Browser browser = new Browser();
        browser.get(signIn(browser, browser.get(authorizeQuery(firstParty, "https://rp.example/callback", ""))
                .body(), email));

        var confirm = browser.get("/oauth/logout?client_id=" + firstParty.clientId()
                + "&post_logout_redirect_uri=https%3A%2F%2Frp.example%2Fsigned-out&state=bye-1");
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("Sign out?");
        Map<String, String> form = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(confirm.body());
        while (m.find()) {
            form.put(m.group(1), m.group(2));
        }
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v.replace("&amp;", "&"), StandardCharsets.UTF_8)));

        var crossSite = browser.post("/oauth/logout", "application/x-www-form-urlencoded", body.toString(),
                Map.of("origin", "https://evil.example"));
        assertThat(crossSite.statusCode()).isEqualTo(403);

        var loggedOut = browser.post("/oauth/logout", "application/x-www-form-urlencoded", body.toString(),
                Map.of("origin", origin));
        assertThat(loggedOut.statusCode()).isEqualTo(303);
        assertThat(loggedOut.headers().firstValue("location")).contains("https://rp.example/signed-out?state=bye-1");
        assertThat(browser.cookie("__Host-latchkey_session")).as("cleared").isNull();

        var none = browser.get(authorizeQuery(firstParty, "https://rp.example/callback", "&prompt=none"));
        assertThat(query(none.headers().firstValue("location").orElseThrow()))
                .containsEntry("error", "login_required");
    }

    @Test
    void revokingTheLatchkeySessionEndsSingleSignOn() throws Exception {
        String email = register("revoked@example.com");
        Browser browser = new Browser();
        String page = browser.get(authorizeQuery(firstParty, "https://rp.example/callback", "")).body();
        Map<String, String> data = pageData(page);
        var login = browser.post("/v1/auth/login/password", "application/json",
                Json.mapper().writeValueAsString(Map.of("email", email, "password", PASSWORD)), Map.of());
        JsonNode tokens = Json.mapper().readTree(login.body());
        String accessToken = tokens.path("access_token").asString();
        browser.post("/oauth/signin", "application/json", Json.mapper().writeValueAsString(
                Map.of("request", data.get("request"), "csrf_token", data.get("csrf"))),
                Map.of("origin", origin, "authorization", "Bearer " + accessToken));
        assertThat(browser.get(authorizeQuery(firstParty, "https://rp.example/callback", "&prompt=none"))
                .headers().firstValue("location").orElseThrow()).contains("code=");

        var revoke = browser.post("/v1/auth/logout", "application/json", Json.mapper().writeValueAsString(
                Map.of("refresh_token", tokens.path("refresh_token").asString())), Map.of());
        assertThat(revoke.statusCode()).isEqualTo(204);

        assertThat(query(browser.get(authorizeQuery(firstParty, "https://rp.example/callback", "&prompt=none"))
                .headers().firstValue("location").orElseThrow())).containsEntry("error", "login_required");
    }
}
