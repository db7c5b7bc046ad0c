package dev.latchkey.functions.local;

import static dev.latchkey.functions.local.OidcTestWorld.verifier;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.latchkey.core.http.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15 §6, the refusals over real HTTP against the local server, as an attacker or a broken client would meet
 * them: near misses of a registered redirect URI (an error page, never a redirect), a missing or {@code plain} PKCE
 * challenge ({@code invalid_request} at the registered redirect URI, with {@code state} and RFC 9207 {@code iss});
 * at the token endpoint a wrong verifier, a replayed code (which also revokes what its first redemption issued) and
 * another client's code ({@code invalid_grant}). A foreign redirect URI and {@code prompt=none} without a session are
 * {@code HostedSignInLocalServerTest}'s; {@code prompt=none} through a real client is
 * {@code OidcNativeAppBrowserTest}'s.
 *
 * <p>Codes come from a real sign-in: headless Chromium signs in once on the hosted page; after that the Latchkey
 * session answers each authorization request at once, and the browser lands on a loopback listener of this test
 * (the redirect URI) whose address holds the code.
 */
class OidcRefusalsLocalServerTest {

    private static final String PASSWORD = "Jacquard-Loom-Cards-1804!";

    @TempDir
    static Path dataDir;

    private static OidcTestWorld world;
    private static OidcTestWorld.Person ada;
    private static HttpServer listener;
    private static String redirectUri;
    private static String webClientId;
    private static String webClientSecret;
    private static String publicClientId;
    private static HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        world = OidcTestWorld.start(dataDir);
        ada = world.signUp("ada@example.com", PASSWORD, "Ada Lovelace");
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/callback", exchange -> {
            byte[] body = "<!doctype html><title>callback</title><p id=\"done\">received</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
        redirectUri = "http://127.0.0.1:" + listener.getAddress().getPort() + "/callback";
        JsonNode web = world.registerApplication(ada, Map.of("name", "Web app", "type", "confidential",
                "first_party", true, "redirect_uris", List.of(redirectUri),
                "scopes", List.of("openid", "profile", "email")));
        webClientId = web.path("client_id").asString();
        webClientSecret = web.path("client_secret").asString();
        publicClientId = world.registerApplication(ada, Map.of("name", "Desktop app", "type", "public",
                "first_party", true, "redirect_uris", List.of(redirectUri),
                "scopes", List.of("openid", "profile", "email"))).path("client_id").asString();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (listener != null) {
            listener.stop(0);
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void authorizeWhenRedirectUriAlmostRegisteredThenErrorPageAndNoRedirect() throws Exception {
        String verifier = verifier();
        // Near misses of the registered loopback URI (a foreign one: HostedSignInLocalServerTest): a longer path, an
        // added query, the same port under the name localhost (matched exactly only, RFC 8252 §8.3), https.
        int port = listener.getAddress().getPort();
        for (String wrong : List.of(redirectUri + "/more", redirectUri + "?x=1", "http://localhost:" + port
                + "/callback", "https://127.0.0.1:" + port + "/callback",
                redirectUri.replace("/callback", "/Callback"))) {
            Map<String, String> request = authorization(webClientId, verifier);
            request.put("redirect_uri", wrong);
            HttpResponse<String> response = world.get(world.authorizeUrl(request));
            assertThat(response.statusCode()).as(wrong + ": " + response.body()).isBetween(400, 499);
            assertThat(response.headers().firstValue("location")).as(wrong).isEmpty();
            assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        }
    }

    @Test
    void authorizeWhenPkceMissingOrPlainThenInvalidRequestAtTheRedirectUri() throws Exception {
        Map<String, String> missing = authorization(webClientId, verifier());
        missing.remove("code_challenge");
        missing.remove("code_challenge_method");
        assertRedirectedWithError(missing, "invalid_request");

        Map<String, String> plain = authorization(publicClientId, verifier());
        plain.put("code_challenge", verifier());
        plain.put("code_challenge_method", "plain");
        assertRedirectedWithError(plain, "invalid_request");
    }

    @Test
    void tokenWhenVerifierWrongThenInvalidGrantAndTheCodeIsSpent() throws Exception {
        String verifier = verifier();
        String code = code(publicClientId, verifier);

        HttpResponse<String> wrong = redeem(publicClientId, null, code, verifier());
        assertOAuthError(wrong, 400, "invalid_grant");
        assertOAuthError(redeem(publicClientId, null, code, verifier), 400, "invalid_grant");
    }

    @Test
    void tokenWhenCodeReplayedThenInvalidGrantAndTheFirstTokensAreRevoked() throws Exception {
        String verifier = verifier();
        String code = code(webClientId, verifier);
        HttpResponse<String> first = redeem(webClientId, webClientSecret, code, verifier);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode tokens = Json.mapper().readTree(first.body());
        assertThat(tokens.path("id_token").asString()).isNotEmpty();
        String accessToken = tokens.path("access_token").asString();
        assertThat(world.userinfo(accessToken).statusCode()).isEqualTo(200);

        assertOAuthError(redeem(webClientId, webClientSecret, code, verifier), 400, "invalid_grant");
        // RFC 9700 §4.2.4 / OAuth 2.1 §4.1.3: the replay revokes the tokens the first redemption issued.
        assertThat(world.userinfo(accessToken).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenWhenCodeOfAnotherClientThenInvalidGrant() throws Exception {
        String verifier = verifier();
        String code = code(publicClientId, verifier);
        assertOAuthError(redeem(webClientId, webClientSecret, code, verifier), 400, "invalid_grant");
        // The code was for the public client; the failed attempt spent it (single use), so it is gone for both.
        assertOAuthError(redeem(publicClientId, null, code, verifier), 400, "invalid_grant");
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static Map<String, String> authorization(String clientId, String verifier) throws Exception {
        return OidcTestWorld.authorization(clientId, redirectUri, verifier);
    }

    private static void assertRedirectedWithError(Map<String, String> request, String error) throws Exception {
        HttpResponse<String> response = world.get(world.authorizeUrl(request));
        assertThat(response.statusCode()).as(response.body()).isIn(302, 303);
        String location = response.headers().firstValue("location").orElseThrow();
        assertThat(location).startsWith(redirectUri + "?");
        Map<String, String> query = query(URI.create(location));
        assertThat(query).containsEntry("error", error).containsEntry("state", request.get("state"))
                .containsEntry("iss", world.issuer()).doesNotContainKey("code");
    }

    /** A code for {@code clientId} from a real sign-in in the browser (the first call signs in on the hosted page). */
    private static String code(String clientId, String verifier) throws Exception {
        if (browser == null) {
            browser = HeadlessChromium.start();
            browser.open(world.authorizeUrl(authorization(clientId, verifier())));
            browser.signIn(ada.email(), ada.password());
            browser.awaitUrl(redirectUri);
        }
        Map<String, String> request = authorization(clientId, verifier);
        browser.open(world.authorizeUrl(request));
        Map<String, String> query = browser.awaitRedirect(redirectUri);
        assertThat(query).as(browser.currentUrl()).containsKey("code").containsEntry("state", request.get("state"));
        return query.get("code");
    }

    private static HttpResponse<String> redeem(String clientId, String secret, String code, String verifier)
            throws Exception {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirectUri, "code_verifier", verifier));
        if (secret == null) {
            form.put("client_id", clientId);
        }
        return world.token(form, secret == null ? null : clientId + ":" + secret);
    }

    private static void assertOAuthError(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Json.mapper().readTree(response.body()).path("error").asString()).as(response.body())
                .isEqualTo(error);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                values.put(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                        equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
