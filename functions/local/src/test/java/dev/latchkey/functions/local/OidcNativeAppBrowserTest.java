package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15 §6 (b): {@code openid-client} (Node, unmodified, {@code tools/interop/node/oidc-native-app.mjs}) as a
 * public client with PKCE — a native app on a loopback port (RFC 8252 §7.3) — signs a person in through Latchkey's
 * hosted pages in headless Chromium: discovery, the authorization URL (S256, state, nonce), the code exchange with the
 * ID token validated (signature from the JWKS, iss, aud, nonce), userinfo, {@code offline_access}: the refresh
 * token grant with the new ID token validated and the same {@code sub}, a second sign-in through the Latchkey
 * session alone, RP-initiated logout back to the app with its state (its post-logout URI registered without a port,
 * RFC 8252 §7.3 as for redirect URIs), after which the refresh token is refused, and then {@code prompt=none}
 * answered with {@code login_required}.
 */
class OidcNativeAppBrowserTest {

    private static final String PASSWORD = "Difference-Engine-1822!";

    @TempDir
    static Path dataDir;

    private static OidcTestWorld world;
    private static OidcTestWorld.Person ada;
    private static String clientId;
    private static InteropProcess nativeApp;
    private static String app;

    private HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        world = OidcTestWorld.start(dataDir);
        ada = world.signUp("ada@example.com", PASSWORD, "Ada Lovelace");
        int port = InteropProcess.freePort();
        JsonNode application = world.registerApplication(ada, Map.of("name", "Desktop app",
                "type", "public", "first_party", true,
                "redirect_uris", List.of("http://127.0.0.1/callback"),
                // Without a port: the app's ephemeral port is accepted for the logout return as for the redirect.
                "post_logout_redirect_uris", List.of("http://127.0.0.1/signed-out"),
                "scopes", List.of("openid", "profile", "email", "offline_access")));
        clientId = application.path("client_id").asString();
        assertThat(application.has("client_secret")).as("a public client has no secret").isFalse();
        nativeApp = InteropProcess.nodeNativeApp(world.issuer(), clientId, port);
        app = nativeApp.nextEvent("listening").path("url").asString().replaceAll("/$", "");
    }

    @AfterAll
    static void stop() {
        if (nativeApp != null) {
            nativeApp.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void openIdClientWhenPublicClientWithPkceThenSignsInValidatesTheIdTokenReadsUserinfoAndLogsOut()
            throws Exception {
        browser.open(app + "/");
        browser.awaitUrl(world.issuer() + "/");
        browser.signIn(ada.email(), ada.password());

        browser.awaitUrl(app + "/callback");
        JsonNode signedIn = nativeApp.nextEvent("signed_in");
        assertThat(browser.text("sub")).isEqualTo(ada.id());
        assertThat(browser.text("email")).isEqualTo(ada.email());
        JsonNode idToken = signedIn.path("id_token");
        assertThat(idToken.path("alg").asString()).as("RS256 by default (OIDC Core §15.1)").isEqualTo("RS256");
        JsonNode claims = idToken.path("claims");
        assertThat(claims.path("iss").asString()).isEqualTo(world.issuer());
        assertThat(claims.path("sub").asString()).isEqualTo(ada.id());
        assertThat(claims.path("aud").toString()).contains(clientId);
        assertThat(claims.path("email").asString()).isEqualTo(ada.email());
        assertThat(claims.path("amr").toString()).contains("pwd");
        assertThat(claims.has("nonce")).isTrue();
        assertThat(claims.has("sid")).isTrue();
        JsonNode userinfo = signedIn.path("userinfo");
        assertThat(userinfo.path("sub").asString()).isEqualTo(ada.id());
        assertThat(userinfo.path("email").asString()).isEqualTo(ada.email());
        assertThat(userinfo.path("email_verified").asBoolean()).isTrue();
        assertThat(userinfo.path("name").asString()).isEqualTo(ada.name());
        assertThat(signedIn.path("end_session_url").asString()).startsWith(world.issuer() + "/");
        // offline_access: openid-client's refreshTokenGrant validated the new ID token; sub, aud, auth_time, sid are
        // the original sign-in's (OIDC Core §12.2), the refresh token rotated, the new access token reads userinfo.
        assertThat(signedIn.path("scope").asString()).isEqualTo("openid profile email offline_access");
        JsonNode refresh = signedIn.path("refresh");
        assertThat(refresh.path("sub_unchanged").asBoolean()).as(signedIn.toString()).isTrue();
        assertThat(refresh.path("rotated").asBoolean()).isTrue();
        assertThat(refresh.path("userinfo_sub").asString()).isEqualTo(ada.id());
        JsonNode refreshed = refresh.path("claims");
        assertThat(refreshed.path("sub").asString()).isEqualTo(ada.id());
        assertThat(refreshed.path("aud").toString()).contains(clientId);
        assertThat(refreshed.path("auth_time").asLong()).isEqualTo(claims.path("auth_time").asLong());
        assertThat(refreshed.path("sid").asString()).isEqualTo(claims.path("sid").asString());
        assertThat(refreshed.has("nonce")).isFalse();

        // Single sign-on: the app starts a new authorization request; the Latchkey session answers it at once.
        browser.open(app + "/");
        browser.awaitUrl(app + "/callback");
        assertThat(nativeApp.nextEvent("signed_in").path("id_token").path("claims").path("sid").asString())
                .as("the same Latchkey session").isEqualTo(claims.path("sid").asString());

        // RP-initiated logout: Latchkey ends the session and returns to the registered post-logout URI with state.
        browser.click("sign-out");
        browser.awaitUrl(app + "/signed-out");
        assertThat(nativeApp.nextEvent("signed_out").path("state_matches").asBoolean()).isTrue();

        // Logout ended the sign-in session, and with it the application's refresh tokens.
        browser.open(app + "/refresh");
        JsonNode ended = nativeApp.nextEvent("error");
        assertThat(ended.path("error").asString()).as(ended.toString()).isEqualTo("invalid_grant");

        // Without a session, prompt=none cannot show a page: login_required at the redirect URI.
        browser.open(app + "/?prompt=none");
        browser.awaitUrl(app + "/callback");
        JsonNode refused = nativeApp.nextEvent("error");
        assertThat(refused.path("error").asString()).as(refused.toString()).isEqualTo("login_required");
        assertThat(browser.text("error")).isEqualTo("login_required");
    }
}
