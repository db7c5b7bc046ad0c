package dev.latchkey.functions.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.ApplicationType;
import dev.latchkey.core.application.IdTokenAlgorithm;
import dev.latchkey.core.application.TokenEndpointAuthMethod;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.client.ClientSecretValue;
import dev.latchkey.core.authorize.IssueAuthorizationCode;
import dev.latchkey.core.authorize.Pkce;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 15: the authorization code grant and userinfo through the real Lambda entry ({@code FunctionInvoker}) on the
 * emulated table with the real key design — an application stored by {@code DynamoDbApplications}, a code stored by
 * {@code DynamoDbAuthorizationCodes} as the authorization endpoint stores it, a signed-in user (a live session). The
 * ID token is validated by Nimbus's JWT processor against the published JWKS (RS256), as a relying party does.
 */
class SignInFunctionInvokerTest {

    private static final String ISSUER = LambdaHarness.ISSUER;
    private static final String REDIRECT = "https://rp.example/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static LatchkeyRuntime runtime;
    private static CompositionRoot root;
    private static Person person;
    private static String sessionId;
    private static Application app;
    private static Application offlineApp;
    private static Application confidentialApp;
    private static String confidentialSecret;

    @BeforeAll
    static void start() throws Exception {
        table = EmulatedTable.start();
        Accounts accounts = Accounts.in(table);
        Map<String, String> variables = new LinkedHashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", Files.createTempDirectory("latchkey-sign-in").toString());
        lambda = LambdaHarness.start(TokenApplication.class.getName(), TokenApplication.FUNCTION, variables);
        runtime = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(variables, "test"), variables);
        root = new CompositionRoot(runtime);
        person = accounts.person("grace.hopper@example.com", true);
        sessionId = SignedJWT.parse(person.accessToken()).getJWTClaimsSet().getStringClaim("sid");
        String orgId = root.manageOrganizations().create(person.userId(), "Acme",
                RequestOrigin.of("203.0.113.10", "req-setup")).id();
        app = new Application(runtime.ids().next(IdPrefix.APPLICATION), orgId, "Portal", ApplicationType.PUBLIC,
                TokenEndpointAuthMethod.NONE, List.of(REDIRECT), List.of(), List.of("openid", "email", "profile"),
                true, IdTokenAlgorithm.RS256, runtime.clock().instant(), person.userId(), List.of(), List.of(), 0);
        root.applications().create(app, AuditEvent.builder(runtime.ids(), runtime.clock()).organizationId(orgId)
                .actor(Actor.user(person.userId())).action("application.created").target("application",
                        app.clientId()).requestId("req-setup").build());
        offlineApp = new Application(runtime.ids().next(IdPrefix.APPLICATION), orgId, "Mobile", ApplicationType.PUBLIC,
                TokenEndpointAuthMethod.NONE, List.of(REDIRECT), List.of(), List.of("openid", "email",
                        "offline_access"), true, IdTokenAlgorithm.RS256, runtime.clock().instant(), person.userId(),
                List.of(), List.of(), 0);
        root.applications().create(offlineApp, AuditEvent.builder(runtime.ids(), runtime.clock())
                .organizationId(orgId).actor(Actor.user(person.userId())).action("application.created")
                .target("application", offlineApp.clientId()).requestId("req-setup").build());
        confidentialSecret = ClientSecretValue.generate(runtime.random());
        confidentialApp = new Application(runtime.ids().next(IdPrefix.APPLICATION), orgId, "Back office",
                ApplicationType.CONFIDENTIAL, TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, List.of(REDIRECT),
                List.of(), List.of("openid", "email", "offline_access"), true, IdTokenAlgorithm.RS256,
                runtime.clock().instant(), person.userId(), List.of(new ClientSecret(
                        runtime.ids().next(IdPrefix.CLIENT_SECRET), root.clientSecretHasher().hash(confidentialSecret),
                        runtime.clock().instant(), person.userId(), Optional.empty(), Optional.empty())), List.of(), 0);
        root.applications().create(confidentialApp, AuditEvent.builder(runtime.ids(), runtime.clock())
                .organizationId(orgId).actor(Actor.user(person.userId())).action("application.created")
                .target("application", confidentialApp.clientId()).requestId("req-setup").build());
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        table.close();
    }

    private static String code() {
        return new IssueAuthorizationCode(root.authorizationCodes(), Duration.ofSeconds(60), runtime.clock(),
                runtime.random()).issue(new IssueAuthorizationCode.Grant(app.clientId(), REDIRECT,
                        new Pkce(CHALLENGE), person.userId(), sessionId, List.of("openid", "email"),
                        Optional.of("n-0S6_WzA2Mj"), runtime.clock().instant(), List.of("pwd")));
    }

    private static String offlineCode() {
        return new IssueAuthorizationCode(root.authorizationCodes(), Duration.ofSeconds(60), runtime.clock(),
                runtime.random()).issue(new IssueAuthorizationCode.Grant(offlineApp.clientId(), REDIRECT,
                        new Pkce(CHALLENGE), person.userId(), sessionId, List.of("openid", "email", "offline_access"),
                        Optional.of("n-offline"), runtime.clock().instant(), List.of("pwd")));
    }

    private static LambdaHarness.Response refresh(String refreshToken) {
        return send("POST", "/oauth/token", Map.of(), "grant_type=refresh_token&client_id=" + offlineApp.clientId()
                + "&refresh_token=" + refreshToken);
    }

    private static LambdaHarness.Response send(String method, String path, Map<String, String> headers,
            String body) {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(HttpEvents.event(method, path, "", headers, null));
        if (body != null) {
            ((ObjectNode) event.path("headers")).put("content-type", "application/x-www-form-urlencoded");
            event.put("body", body);
        }
        ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp",
                "198.51.100." + (100 + ADDRESSES.incrementAndGet() % 100));
        return lambda.invoke(event.toString());
    }

    private static LambdaHarness.Response redeem(String code) {
        return send("POST", "/oauth/token", Map.of(), "grant_type=authorization_code&client_id=" + app.clientId()
                + "&code=" + code + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&code_verifier=" + VERIFIER);
    }

    @Test
    void codeWhenRedeemedThenIdTokenValidatesAgainstTheJwksAndUserinfoAnswersUntilTheCodeIsReplayed()
            throws Exception {
        String code = code();

        LambdaHarness.Response response = redeem(code);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("cache-control")).isEqualTo("no-store");
        var body = response.bodyJson();
        assertThat(body.propertyNames()).containsExactly("access_token", "token_type", "expires_in", "scope",
                "id_token");
        assertThat(body.has("refresh_token")).isFalse();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.parse(new String(runtime.currentKeys().jwks().body(),
                        StandardCharsets.UTF_8)))));
        JWTClaimsSet idToken = processor.process(body.path("id_token").asString(), null);
        assertThat(idToken.getIssuer()).isEqualTo(ISSUER);
        assertThat(idToken.getSubject()).isEqualTo(person.userId());
        assertThat(idToken.getAudience()).containsExactly(app.clientId());
        assertThat(idToken.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(idToken.getStringClaim("email")).isEqualTo("grace.hopper@example.com");
        String accessToken = body.path("access_token").asString();

        LambdaHarness.Response userinfo = send("GET", "/oauth/userinfo",
                Map.of("authorization", "Bearer " + accessToken), null);
        assertThat(userinfo.status()).isEqualTo(200);
        assertThat(userinfo.bodyJson().path("sub").asString()).isEqualTo(person.userId());
        assertThat(userinfo.bodyJson().path("email_verified").asBoolean()).isTrue();
        LambdaHarness.Response posted = send("POST", "/oauth/userinfo", Map.of(), "access_token=" + accessToken);
        assertThat(posted.status()).isEqualTo(200);

        LambdaHarness.Response replay = redeem(code);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.bodyJson().path("error").asString()).isEqualTo("invalid_grant");
        LambdaHarness.Response revoked = send("GET", "/oauth/userinfo",
                Map.of("authorization", "Bearer " + accessToken), null);
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.header("www-authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void refreshWhenOfflineAccessThenNewIdTokenOfTheSameUserRotationAndReuseRevokesTheFamily() throws Exception {
        LambdaHarness.Response redeemed = send("POST", "/oauth/token", Map.of(), "grant_type=authorization_code"
                + "&client_id=" + offlineApp.clientId() + "&code=" + offlineCode() + "&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&code_verifier=" + VERIFIER);
        assertThat(redeemed.status()).isEqualTo(200);
        assertThat(redeemed.bodyJson().propertyNames()).containsExactly("access_token", "token_type", "expires_in",
                "scope", "id_token", "refresh_token");
        assertThat(redeemed.bodyJson().path("scope").asString()).isEqualTo("openid email offline_access");
        String first = redeemed.bodyJson().path("refresh_token").asString();
        JWTClaimsSet original = SignedJWT.parse(redeemed.bodyJson().path("id_token").asString()).getJWTClaimsSet();

        LambdaHarness.Response refreshed = refresh(first);

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.header("cache-control")).isEqualTo("no-store");
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.parse(new String(runtime.currentKeys().jwks().body(),
                        StandardCharsets.UTF_8)))));
        JWTClaimsSet idToken = processor.process(refreshed.bodyJson().path("id_token").asString(), null);
        assertThat(idToken.getSubject()).isEqualTo(original.getSubject()).isEqualTo(person.userId());
        assertThat(idToken.getAudience()).containsExactly(offlineApp.clientId());
        assertThat(idToken.getLongClaim("auth_time")).isEqualTo(original.getLongClaim("auth_time"));
        assertThat(idToken.getStringClaim("sid")).isEqualTo(sessionId);
        assertThat(idToken.getClaims()).doesNotContainKey("nonce");
        String second = refreshed.bodyJson().path("refresh_token").asString();
        assertThat(second).startsWith("lka_").isNotEqualTo(first);
        LambdaHarness.Response userinfo = send("GET", "/oauth/userinfo",
                Map.of("authorization", "Bearer " + refreshed.bodyJson().path("access_token").asString()), null);
        assertThat(userinfo.bodyJson().path("sub").asString()).isEqualTo(person.userId());

        String[] third = new String[1];
        Map<String, Integer> requests = CountingDynamoDbInterceptor.requests(() -> {
            LambdaHarness.Response again = refresh(second);
            assertThat(again.status()).isEqualTo(200);
            third[0] = again.bodyJson().path("refresh_token").asString();
        });
        assertThat(requests).as("application; token, family, sign-in session, user; rotation; session.refreshed")
                .isEqualTo(Map.of("GetItem", 5, "TransactWriteItems", 1, "PutItem", 1));

        // The first token's successor has been used: presenting it again is a reuse, even within the grace.
        LambdaHarness.Response reused = refresh(first);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.bodyJson().path("error").asString()).isEqualTo("invalid_grant");
        assertThat(refresh(third[0]).bodyJson().path("error").asString()).as("the family is revoked")
                .isEqualTo("invalid_grant");
    }

    private static String basic(Application application, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((application.clientId() + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String offlineRefreshToken(Application application, Map<String, String> headers) {
        String code = new IssueAuthorizationCode(root.authorizationCodes(), Duration.ofSeconds(60), runtime.clock(),
                runtime.random()).issue(new IssueAuthorizationCode.Grant(application.clientId(), REDIRECT,
                        new Pkce(CHALLENGE), person.userId(), sessionId, List.of("openid", "email", "offline_access"),
                        Optional.empty(), runtime.clock().instant(), List.of("pwd")));
        LambdaHarness.Response redeemed = send("POST", "/oauth/token", headers, "grant_type=authorization_code"
                + "&client_id=" + application.clientId() + "&code=" + code + "&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&code_verifier=" + VERIFIER);
        assertThat(redeemed.status()).isEqualTo(200);
        return redeemed.bodyJson().path("refresh_token").asString();
    }

    @Test
    void revokeAndIntrospectWhenConfidentialApplicationWithItsSecretThenItsOwnTokenOnlyAndTheFamilyEnds() {
        Map<String, String> auth = Map.of("authorization", basic(confidentialApp, confidentialSecret));
        String own = offlineRefreshToken(confidentialApp, auth);
        String others = offlineRefreshToken(offlineApp, Map.of());

        LambdaHarness.Response[] introspected = new LambdaHarness.Response[1];
        Map<String, Integer> requests = CountingDynamoDbInterceptor.requests(() ->
                introspected[0] = send("POST", "/oauth/introspect", auth, "token=" + own));
        LambdaHarness.Response active = introspected[0];
        assertThat(requests).as("application; token, family, sign-in session; the per-IP introspection limit")
                .isEqualTo(Map.of("GetItem", 4, "UpdateItem", 1));
        LambdaHarness.Response foreign = send("POST", "/oauth/introspect", auth, "token=" + others);
        LambdaHarness.Response wrongSecret = send("POST", "/oauth/revoke",
                Map.of("authorization", basic(confidentialApp, "lkcs_wrong")), "token=" + own);
        LambdaHarness.Response refused = send("POST", "/oauth/revoke", auth, "token=" + others);
        LambdaHarness.Response[] revocation = new LambdaHarness.Response[1];
        Map<String, Integer> revokeRequests = CountingDynamoDbInterceptor.requests(() ->
                revocation[0] = send("POST", "/oauth/revoke", auth, "token=" + own + "&token_type_hint=refresh_token"));
        LambdaHarness.Response revoked = revocation[0];
        assertThat(revokeRequests).as("application; token, family; the revocation; session.revoked; the limit")
                .isEqualTo(Map.of("GetItem", 3, "UpdateItem", 2, "PutItem", 1));
        LambdaHarness.Response after = send("POST", "/oauth/introspect", auth, "token=" + own);
        LambdaHarness.Response refreshAfter = send("POST", "/oauth/token", auth,
                "grant_type=refresh_token&refresh_token=" + own);

        assertThat(active.status()).isEqualTo(200);
        assertThat(active.header("cache-control")).isEqualTo("no-store");
        var body = active.bodyJson();
        assertThat(body.path("active").asBoolean()).isTrue();
        assertThat(body.path("client_id").asString()).isEqualTo(confidentialApp.clientId());
        assertThat(body.path("sub").asString()).isEqualTo(person.userId());
        assertThat(body.path("scope").asString()).isEqualTo("openid email offline_access");
        assertThat(body.path("token_type").asString()).isEqualTo("refresh_token");
        assertThat(body.path("exp").asLong()).isGreaterThan(runtime.clock().instant().getEpochSecond());
        assertThat(foreign.bodyJson().toString()).isEqualTo("{\"active\":false}");
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.bodyJson().path("error").asString()).isEqualTo("invalid_client");
        assertThat(wrongSecret.header("www-authenticate")).startsWith("Basic");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.bodyJson().path("error").asString()).isEqualTo("invalid_client");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(after.bodyJson().toString()).isEqualTo("{\"active\":false}");
        assertThat(refreshAfter.status()).isEqualTo(400);
        assertThat(refreshAfter.bodyJson().path("error").asString()).isEqualTo("invalid_grant");
        assertThat(refresh(others).status()).as("another application's family is untouched").isEqualTo(200);
    }
}
