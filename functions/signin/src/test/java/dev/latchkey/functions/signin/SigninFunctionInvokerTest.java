package dev.latchkey.functions.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.application.TestApplications;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.http.Route;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.infrastructure.application.DynamoDbApplications;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every {@code events/signin/*.json} through {@code FunctionInvoker}, and the authorization endpoint with a registered
 * application on an emulated table: the refusals (error page, never a redirect; {@code login_required} with
 * {@code iss}), the sign-in page (labels, CSP, the login cookie), the CSRF and Origin refusals.
 */
class SigninFunctionInvokerTest {

    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String REDIRECT = "https://rp.example/callback";
    private static final Map<String, Integer> STATUS = Map.of(
            "authorize-unknown-client.json", 400,
            "authorize-without-client.json", 400,
            "authorize-post-unknown-client.json", 400,
            "signin-cross-origin.json", 403,
            "consent-without-csrf.json", 403,
            "logout-not-signed-in.json", 200,
            "logout-unregistered-redirect.json", 400,
            "signin-script.json", 200);

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static String clientId;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        Clock clock = Clock.systemUTC();
        SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
        new RotateSigningKeys(new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE),
                LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, new SecureRandom()), KeyPolicy.defaults(),
                new InMemoryAuditLog(clock), ids, clock, new SecureRandom()).run("test");
        String organizationId = ids.next(IdPrefix.ORGANIZATION);
        table.client().putItem(b -> b.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS(Keys.organizationPk(organizationId)),
                LatchkeyTable.SK, AttributeValue.fromS(Keys.ORG_SK),
                "name", AttributeValue.fromS("Acme"), "version", AttributeValue.fromN("0"))));
        clientId = ids.next(IdPrefix.APPLICATION);
        new DynamoDbApplications(table.client(), EmulatedTable.TABLE,
                new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, clock))
                .create(TestApplications.publicApp().clientId(clientId).organizationId(organizationId)
                        .name("Acme <Portal>").redirectUris(REDIRECT).build(),
                        AuditEvent.builder(ids, clock).organizationId(organizationId).actor(Actor.anonymous())
                                .action("application.created").target("application", clientId).requestId("r")
                                .build());
        var spec = ApiCatalog.function(SigninApplication.FUNCTION);
        lambda = LambdaHarness.start(spec.mainClass(), spec.name(), LambdaHarness.localVariables(table));
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void everySigninEventAnswersThroughFunctionInvokerAndEveryPageHasTheStrictCsp() throws IOException {
        var events = Events.of("signin");
        assertThat(events).hasSize(STATUS.size());
        for (Path event : events) {
            String name = event.getFileName().toString();
            var response = lambda.invoke(Files.readString(event));
            assertThat(response.status()).as(name).isEqualTo(STATUS.get(name));
            if (response.header("content-type").startsWith("text/html")) {
                assertStrictCsp(response, name);
            }
        }
    }

    @Test
    void authorizeWhenUnknownClientOrWrongRedirectUriThenErrorPageAndNeverARedirect() throws IOException {
        var unknown = lambda.invoke(Files.readString(event("authorize-unknown-client.json")));
        var wrongUri = authorize(query(clientId, "https://evil.example/cb", ""));

        for (var response : List.of(unknown, wrongUri)) {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("location")).isNull();
            assertThat(response.body()).contains("Sign-in cannot continue").doesNotContain("evil.example");
        }
        assertThat(unknown.body()).contains("invalid_client");
    }

    @Test
    void authorizeWhenPromptNoneWithoutSessionThenLoginRequiredToTheRedirectUriWithIss() throws IOException {
        var response = authorize(query(clientId, REDIRECT, "&prompt=none"));

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("location")).startsWith(REDIRECT + "?error=login_required&error_description=")
                .endsWith("&state=s1&iss=" + URLEncoder.encode(LambdaHarness.ISSUER, StandardCharsets.UTF_8));
    }

    @Test
    void authorizeWhenPlainPkceOrImplicitThenErrorToTheRedirectUri() throws IOException {
        var plain = authorize(query(clientId, REDIRECT, "").replace("code_challenge_method=S256",
                "code_challenge_method=plain"));
        var implicit = authorize(query(clientId, REDIRECT, "").replace("response_type=code", "response_type=token"));

        assertThat(plain.header("location")).startsWith(REDIRECT + "?error=invalid_request");
        assertThat(implicit.header("location")).startsWith(REDIRECT + "?error=unsupported_response_type");
    }

    @Test
    void authorizeWhenNoSessionThenSignInPageWithLabelledInputsPasskeyButtonsAndTheLoginCookie() throws IOException {
        var response = authorize(query(clientId, REDIRECT, "&login_hint=ada%40example.com"));

        assertThat(response.status()).isEqualTo(200);
        assertStrictCsp(response, "sign-in page");
        String html = response.body();
        assertThat(html).contains("<label for=\"email\">Email</label>", "<label for=\"password\">Password</label>",
                "autocomplete=\"username webauthn\"", ">Sign in</button>", ">Sign in with a passkey</button>",
                "value=\"ada@example.com\"", "Create an account", "Forgot password?",
                "<script src=\"/oauth/signin.js\" defer></script>", "Acme &lt;Portal&gt;");
        assertThat(html).doesNotContain("<script>").doesNotContain("onclick").doesNotContain("Acme <Portal>");
        List<String> cookies = StreamSupport.stream(response.json().path("cookies").spliterator(), false)
                .map(n -> n.asString()).toList();
        assertThat(cookies).singleElement().asString().startsWith("__Host-latchkey_login=")
                .contains("; Path=/; Secure; HttpOnly; SameSite=Lax");
    }

    private static void assertStrictCsp(LambdaHarness.Response response, String what) {
        assertThat(response.header("content-security-policy")).as(what).startsWith("default-src 'none'; ")
                .contains("script-src 'self'", "style-src 'nonce-", "frame-ancestors 'none'", "base-uri 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(response.header("x-frame-options")).as(what).isEqualTo("DENY");
        assertThat(response.header("referrer-policy")).as(what).isEqualTo("no-referrer");
        assertThat(response.header("cache-control")).as(what).isEqualTo("no-store");
    }

    @Test
    void routerServesExactlyTheCatalogRoutes() {
        var routes = SigninEndpoints.routes(new SigninEndpoints.UseCases(null, null, null, null,
                java.net.URI.create("https://id.example"))).routes();
        assertThat(routes).extracting(Route::key).containsExactlyInAnyOrderElementsOf(
                ApiCatalog.function(SigninApplication.FUNCTION).routes().stream().map(Route::key).toList());
    }

    private static String query(String client, String redirectUri, String extra) {
        return "response_type=code&client_id=" + client + "&redirect_uri="
                + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + "&scope=openid%20email&state=s1"
                + "&nonce=n1&code_challenge=" + CHALLENGE + "&code_challenge_method=S256" + extra;
    }

    private static LambdaHarness.Response authorize(String query) throws IOException {
        String json = Files.readString(event("authorize-unknown-client.json"));
        String original = json.replaceAll("(?s).*\"rawQueryString\": \"([^\"]*)\".*", "$1");
        return lambda.invoke(json.replace("\"rawQueryString\": \"" + original + "\"",
                "\"rawQueryString\": \"" + query + "\""));
    }

    private static Path event(String name) {
        return Events.of("signin").stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow();
    }
}
