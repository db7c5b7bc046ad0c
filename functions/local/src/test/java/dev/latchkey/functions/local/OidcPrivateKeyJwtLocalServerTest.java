package dev.latchkey.functions.local;

import static dev.latchkey.functions.local.OidcTestWorld.verifier;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.core.http.Json;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15 item 1, a confidential application with {@code private_key_jwt} whose public key is registered through
 * {@code POST /v1/orgs/{orgId}/applications/{clientId}/keys}, against the local server over real HTTP:
 * <ul>
 *   <li>{@code openid-client} 6.8.9 (unmodified; {@code tools/interop/node/oidc-native-app.mjs} with
 *       {@code CLIENT_PRIVATE_JWK}) signs a person in through the hosted page in headless Chromium and exchanges the
 *       code authenticating with its {@code PrivateKeyJwt} client authentication (RFC 7523 §2.2), then validates the
 *       ID token and reads userinfo;</li>
 *   <li>the refusals at the token endpoint, each a 401 {@code invalid_client} audited
 *       {@code client.authentication_failed} with its reason, which leaves the code unspent (the application
 *       authenticates before the code is redeemed): an assertion signed with a key that is not registered, one for
 *       another audience, a replayed {@code jti}, and one signed with a key revoked through
 *       {@code DELETE …/keys/{keyId}}.</li>
 *   <li>the application's own {@code lka_} refresh token ({@code offline_access}) at the introspection (RFC 7662)
 *       and revocation (RFC 7009) endpoints with {@code openid-client}'s {@code tokenIntrospection} and
 *       {@code tokenRevocation}, authenticated with the same {@code private_key_jwt}: active with its members,
 *       revoked, then inactive and refused by the refresh grant.</li>
 * </ul>
 */
class OidcPrivateKeyJwtLocalServerTest {

    private static final String PASSWORD = "Analytical-Engine-1837!";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @TempDir
    static Path dataDir;

    private static OidcTestWorld world;
    private static OidcTestWorld.Person ada;
    private static HttpServer listener;
    private static String redirectUri;
    private static String clientId;
    private static String keysPath;
    private static ECKey key;
    private static InteropProcess webApp;
    private static String app;

    private HeadlessChromium browser;
    private boolean signedIn;

    @BeforeAll
    static void start() throws Exception {
        world = OidcTestWorld.start(dataDir);
        ada = world.signUp("ada@example.com", PASSWORD, "Ada Lovelace");
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/callback", exchange -> {
            byte[] body = "<!doctype html><title>callback</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
        redirectUri = "http://127.0.0.1:" + listener.getAddress().getPort() + "/callback";
        int port = InteropProcess.freePort();
        JsonNode application = world.registerApplication(ada, Map.of("name", "Web app", "type", "confidential",
                "token_endpoint_auth_method", "private_key_jwt", "first_party", true,
                "redirect_uris", List.of("http://127.0.0.1:" + port + "/callback", redirectUri),
                "post_logout_redirect_uris", List.of("http://127.0.0.1:" + port + "/signed-out"),
                "scopes", List.of("openid", "profile", "email", "offline_access")));
        clientId = application.path("client_id").asString();
        assertThat(application.has("client_secret")).as("private_key_jwt: no secret").isFalse();
        keysPath = "/v1/orgs/" + ada.organizationId() + "/applications/" + clientId + "/keys";
        key = new ECKeyGenerator(Curve.P_256).keyID("web-app-2026").algorithm(JWSAlgorithm.ES256).generate();
        JsonNode registered = world.json("POST", keysPath, ada.accessToken(),
                Map.of("jwk", key.toPublicJWK().toJSONObject()), 201);
        assertThat(registered.path("kid").asString()).isEqualTo("web-app-2026");
        assertThat(registered.path("alg").asString()).isEqualTo("ES256");
        webApp = InteropProcess.nodeNativeApp(world.issuer(), clientId, port,
                Map.of("CLIENT_PRIVATE_JWK", key.toJSONString()));
        app = webApp.nextEvent("listening").path("url").asString().replaceAll("/$", "");
    }

    @AfterAll
    static void stop() {
        if (webApp != null) {
            webApp.close();
        }
        if (listener != null) {
            listener.stop(0);
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
    void openIdClientWhenPrivateKeyJwtWithARouteRegisteredKeyThenExchangesTheCodeAndValidatesTheIdToken()
            throws Exception {
        Instant since = Instant.now();
        browser.open(app + "/");
        browser.awaitUrl(world.issuer() + "/");
        browser.signIn(ada.email(), ada.password());

        browser.awaitUrl(app + "/callback");
        JsonNode signedIn = webApp.nextEvent("signed_in");
        assertThat(browser.text("sub")).isEqualTo(ada.id());
        JsonNode claims = signedIn.path("id_token").path("claims");
        assertThat(claims.path("iss").asString()).isEqualTo(world.issuer());
        assertThat(claims.path("sub").asString()).isEqualTo(ada.id());
        assertThat(claims.path("aud").toString()).contains(clientId);
        assertThat(claims.path("azp").asString()).isEqualTo(clientId);
        assertThat(signedIn.path("userinfo").path("email").asString()).isEqualTo(ada.email());
        assertThat(failures(since)).as("no failed client authentication on the way").isEmpty();
    }

    @Test
    void openIdClientWhenItIntrospectsAndRevokesItsOwnRefreshTokenThenActiveThenRevokedAndRefused()
            throws Exception {
        Instant since = Instant.now();
        browser.open(app + "/");
        browser.awaitUrl(world.issuer() + "/");
        browser.signIn(ada.email(), ada.password());
        browser.awaitUrl(app + "/callback");
        assertThat(webApp.nextEvent("signed_in").path("refresh").path("rotated").asBoolean()).isTrue();

        browser.open(app + "/revoke");

        JsonNode revoked = webApp.nextEvent("revoked");
        JsonNode before = revoked.path("before");
        assertThat(before.path("active").asBoolean()).isTrue();
        assertThat(before.path("client_id").asString()).isEqualTo(clientId);
        assertThat(before.path("sub").asString()).isEqualTo(ada.id());
        assertThat(before.path("token_type").asString()).isEqualTo("refresh_token");
        assertThat(before.path("scope").asString()).contains("openid", "offline_access");
        assertThat(before.path("exp").asLong()).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(revoked.path("after").path("active").asBoolean()).isFalse();
        assertThat(revoked.path("refresh_refused").asString()).isEqualTo("invalid_grant");
        assertThat(browser.text("active")).isEqualTo("false");
        assertThat(failures(since)).as("every private_key_jwt request authenticated").isEmpty();
    }

    @Test
    void tokenWhenAssertionHasAWrongKeyAnotherAudienceOrAReplayedJtiThenInvalidClientAndTheCodeUnspent()
            throws Exception {
        Instant since = Instant.now();
        String verifier = verifier();
        String code = code(verifier);
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("web-app-2026").generate();
        String tokenEndpoint = world.issuer() + "/oauth/token";

        assertInvalidClient(redeem(code, verifier, assertion(stranger, tokenEndpoint)));
        assertInvalidClient(redeem(code, verifier, assertion(key, "https://other.example/oauth/token")));
        String good = assertion(key, tokenEndpoint);
        HttpResponse<String> redeemed = redeem(code, verifier, good);
        assertThat(redeemed.statusCode()).as("the refusals left the code unspent: " + redeemed.body())
                .isEqualTo(200);
        assertThat(Json.mapper().readTree(redeemed.body()).path("id_token").asString()).isNotEmpty();

        String verifier2 = verifier();
        String code2 = code(verifier2);
        assertInvalidClient(redeem(code2, verifier2, good));

        assertThat(failures(since)).containsExactlyInAnyOrder("bad_signature", "wrong_audience", "replayed");
        assertThat(redeem(code2, verifier2, assertion(key, tokenEndpoint)).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenWhenTheKeyWasRevokedThroughTheRouteThenInvalidClient() throws Exception {
        Instant since = Instant.now();
        ECKey second = new ECKeyGenerator(Curve.P_256).keyID("web-app-rotated").algorithm(JWSAlgorithm.ES256)
                .generate();
        String keyId = world.json("POST", keysPath, ada.accessToken(),
                Map.of("jwk", second.toPublicJWK().toJSONObject()), 201).path("key_id").asString();
        String verifier = verifier();
        String code = code(verifier);
        world.json("DELETE", keysPath + "/" + keyId, ada.accessToken(), null, 204);

        assertInvalidClient(redeem(code, verifier, assertion(second, world.issuer() + "/oauth/token")));
        assertThat(failures(since)).containsExactly("no_usable_key");
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static String assertion(ECKey signer, String audience) throws JOSEException {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signer.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                        .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(60))).build());
        jwt.sign(new ECDSASigner(signer));
        return jwt.serialize();
    }

    private static HttpResponse<String> redeem(String code, String verifier, String assertion) throws Exception {
        return world.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri,
                "code_verifier", verifier, "client_assertion_type", ASSERTION_TYPE, "client_assertion", assertion),
                null);
    }

    private static void assertInvalidClient(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(Json.mapper().readTree(response.body()).path("error").asString()).isEqualTo("invalid_client");
    }

    /** The reasons of this application's failed authentications since {@code from}, from the audit log. */
    private static List<String> failures(Instant from) throws Exception {
        JsonNode events = world.json("GET", "/v1/orgs/" + ada.organizationId()
                + "/audit-events?action=client.authentication_failed&from=" + from.minusMillis(1),
                ada.accessToken(), null, 200).path("events");
        List<String> reasons = new ArrayList<>();
        for (JsonNode event : events) {
            if (event.path("target").path("id").asString().equals(clientId)) {
                reasons.add(event.path("details").path("reason").asString());
            }
        }
        return reasons;
    }

    /** A code from a real sign-in in this test's browser, delivered to the test's loopback listener. */
    private String code(String verifier) throws Exception {
        Map<String, String> request = OidcTestWorld.authorization(clientId, redirectUri, verifier);
        browser.open(world.authorizeUrl(request));
        if (!signedIn) {
            browser.signIn(ada.email(), ada.password());
            signedIn = true;
        }
        Map<String, String> query = browser.awaitRedirect(redirectUri);
        assertThat(query).as(browser.currentUrl()).containsKey("code").containsEntry("state", request.get("state"));
        return query.get("code");
    }
}
