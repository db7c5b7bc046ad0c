package dev.latchkey.functions.passkey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Route;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.passkey.SoftwareAuthenticator;
import dev.latchkey.core.session.EndSession;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every {@code events/passkey/*.json}, and a whole passkey life — add, usernameless login, replay, list, rename,
 * delete — through the real Lambda entry point ({@code FunctionInvoker}) with the emulated table and the local key
 * vault. The authenticator is core's {@link SoftwareAuthenticator}; the relying party is what the issuer
 * {@value LambdaHarness#ISSUER} implies (RP id {@code localhost}, origin {@code http://localhost:3000}).
 */
class PasskeyFunctionInvokerTest {

    private static final Map<String, Integer> EXPECTED_STATUS = Map.of(
            "register-options-without-token.json", 401,
            "register-verify-without-token.json", 401,
            "login-options-usernameless.json", 200,
            "login-verify-unknown-challenge.json", 401,
            "login-verify-malformed.json", 400,
            "list-without-token.json", 401,
            "rename-without-token.json", 401,
            "delete-without-token.json", 401);
    private static final String ORIGIN = LambdaHarness.ISSUER;
    /** A PHC string that is never verified here: the account merely has a password. */
    private static final String SOME_PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2g";

    @TempDir
    static Path dataDir;

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static DynamoDbUserRepository users;
    private static SortableIdGenerator ids;
    private static StartSession sessions;
    private static EndSession endSession;
    private static AccessTokenVerifier verifier;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        ids = new SortableIdGenerator(clock, random);
        var ring = new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE);
        var vault = LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, random);
        new RotateSigningKeys(ring, vault, KeyPolicy.defaults(), new InMemoryAuditLog(clock), ids, clock, random)
                .run("test");
        Map<String, String> variables = new HashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", dataDir.toString());
        lambda = LambdaHarness.start(PasskeyApplication.class.getName(), PasskeyApplication.FUNCTION, variables);
        users = new DynamoDbUserRepository(table.client(), EmulatedTable.TABLE,
                new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, clock));
        CurrentKeys keys = new CurrentKeys(ring, vault, KeyPolicy.defaults(), clock, Duration.ofSeconds(1));
        DynamoDbAuditLog audit = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, clock);
        DynamoDbSessionRepository sessionRepository =
                new DynamoDbSessionRepository(table.client(), EmulatedTable.TABLE);
        RefreshTokenCrypto crypto = new RefreshTokenCrypto(new DynamoDbPeppers(table.client(), EmulatedTable.TABLE,
                vault, random, clock), random);
        endSession = new EndSession(sessionRepository, crypto, audit, ids, clock);
        sessions = new StartSession(sessionRepository, crypto,
                new SessionTokens(keys, () -> LambdaHarness.ISSUER, SessionPolicy.defaults(), clock, random),
                SessionPolicy.defaults(), audit, ids, clock, random);
        verifier = new AccessTokenVerifier(keys, LambdaHarness.ISSUER, Set.of(LambdaHarness.ISSUER), clock);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    // ------------------------------------------------------------------ events

    @Test
    void everyPasskeyEventAnswersItsDocumentedStatusThroughFunctionInvoker() {
        var events = Events.of("passkey");
        assertThat(events).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(EXPECTED_STATUS.keySet());
        for (Path file : events) {
            String name = file.getFileName().toString();
            var response = lambda.invoke(read(file));
            assertThat(response.status()).as(name + " " + response.body()).isEqualTo(EXPECTED_STATUS.get(name));
            assertThat(response.header("cache-control")).as(name).isEqualTo("no-store");
            JsonNode body = response.bodyJson();
            if (response.status() == 401) {
                assertThat(body.path("error").path("code").asString()).as(name).isEqualTo("AUTHENTICATION_FAILED");
                if (name.endsWith("-without-token.json")) {
                    assertThat(response.header("www-authenticate")).as(name).isEqualTo("Bearer");
                }
            }
            if (name.equals("login-verify-malformed.json")) {
                assertThat(body.path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
            }
            if (name.equals("login-options-usernameless.json")) {
                assertThat(body.path("challenge_id").asString()).matches("chl_[0-9A-HJKMNP-TV-Z]{26}");
                JsonNode publicKey = body.path("public_key");
                assertThat(publicKey.path("rpId").asString()).isEqualTo("localhost");
                assertThat(publicKey.path("allowCredentials").isArray()).isTrue();
                assertThat(publicKey.path("allowCredentials")).isEmpty();
                assertThat(publicKey.path("userVerification").asString()).isEqualTo("required");
                assertThat(publicKey.path("challenge").asString()).matches("[A-Za-z0-9_-]{43}");
            }
        }
    }

    @Test
    void routerServesExactlyTheCatalogRoutes() {
        assertThat(PasskeyEndpoints.ROUTES).containsExactlyInAnyOrderElementsOf(
                ApiCatalog.function(PasskeyApplication.FUNCTION).routes().stream().map(Route::key).toList());
    }

    // ------------------------------------------------------------------ a passkey's life

    @Test
    void addLoginWithoutEmailListRenameAndDeleteThroughFunctionInvoker() {
        User user = account("ada.passkey@example.com", "");
        String token = accessToken(user);
        var authenticator = new SoftwareAuthenticator();

        // Registration options: the user's random handle, nothing to exclude yet.
        var options = call("POST", "/v1/auth/passkeys/register/options", Map.of("nickname", "Laptop"), token);
        assertThat(options.status()).as(options.body()).isEqualTo(200);
        JsonNode creation = options.bodyJson().path("public_key");
        assertThat(creation.path("rp").path("id").asString()).isEqualTo("localhost");
        assertThat(creation.path("user").path("id").asString()).doesNotContain(user.id());
        assertThat(creation.path("user").path("name").asString()).isEqualTo("ada.passkey@example.com");
        assertThat(creation.path("excludeCredentials")).isEmpty();
        assertThat(creation.path("attestation").asString()).isEqualTo("none");

        var registration = authenticator.register(map(creation), SoftwareAuthenticator.Emulation.at(ORIGIN));
        var added = call("POST", "/v1/auth/passkeys/register/verify", body("challenge_id",
                options.bodyJson().path("challenge_id").asString(), "credential", registration.json(),
                "nickname", "Laptop"), token);
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        JsonNode passkey = added.bodyJson();
        String passkeyId = passkey.path("id").asString();
        assertThat(passkeyId).matches("pk_[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(passkey.path("nickname").asString()).isEqualTo("Laptop");
        assertThat(passkey.path("last_used_at").isNull()).isTrue();
        assertThat(fieldNames(passkey)).containsExactly("id", "nickname", "created_at", "last_used_at", "transports",
                "aaguid", "backup_eligible", "backed_up", "suspected_clone", "suspected_clone_at");
        assertThat(passkey.path("suspected_clone").asBoolean()).isFalse();
        assertThat(added.body()).doesNotContain(registration.credential().userHandle());

        // The same response again: its challenge is spent.
        var again = call("POST", "/v1/auth/passkeys/register/verify", body("challenge_id",
                options.bodyJson().path("challenge_id").asString(), "credential", registration.json()), token);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.bodyJson().path("error").path("details").path("field").asString()).isEqualTo("challenge_id");

        // Next registration options exclude it.
        var second = call("POST", "/v1/auth/passkeys/register/options", Map.of(), token);
        assertThat(second.bodyJson().path("public_key").path("excludeCredentials").findValuesAsString("id"))
                .containsExactly(registration.credential().id());

        // Usernameless login: no email, empty allow list; the token response of password login.
        var loginOptions = call("POST", "/v1/auth/passkeys/login/options", Map.of(), null);
        assertThat(loginOptions.status()).isEqualTo(200);
        String assertion = authenticator.authenticate(map(loginOptions.bodyJson().path("public_key")),
                SoftwareAuthenticator.Emulation.at(ORIGIN));
        var login = call("POST", "/v1/auth/passkeys/login/verify", body("challenge_id",
                loginOptions.bodyJson().path("challenge_id").asString(), "credential", assertion), null);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        JsonNode tokenResponse = login.bodyJson();
        assertThat(fieldNames(tokenResponse)).containsExactly("access_token", "token_type", "expires_in",
                "refresh_token", "session_id", "user");
        assertThat(tokenResponse.path("user").path("id").asString()).isEqualTo(user.id());
        var claims = verifier.verify(tokenResponse.path("access_token").asString()).claims();
        assertThat(claims.subject()).isEqualTo(user.id());
        assertThat(claims.amr()).containsExactly("hwk", "user", "mfa");
        assertThat(claims.clientId()).as("issue 12 §1: the first-party client").contains("latchkey");
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(tokenResponse.path("access_token").asString()
                .split("\\.")[0]), java.nio.charset.StandardCharsets.UTF_8)).contains("\"typ\":\"JWT\"");

        // A replayed assertion fails like any other failure.
        var replay = call("POST", "/v1/auth/passkeys/login/verify", body("challenge_id",
                loginOptions.bodyJson().path("challenge_id").asString(), "credential", assertion), null);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.bodyJson().path("error").path("code").asString()).isEqualTo("AUTHENTICATION_FAILED");

        // The new session's token manages the passkeys.
        String passkeyToken = tokenResponse.path("access_token").asString();
        var list = call("GET", "/v1/users/me/passkeys", null, passkeyToken);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.bodyJson().path("passkeys")).hasSize(1);
        assertThat(list.bodyJson().path("passkeys").get(0).path("last_used_at").isString()).isTrue();

        var renamed = call("PATCH", "/v1/users/me/passkeys/" + passkeyId, Map.of("nickname", "Work laptop"),
                passkeyToken);
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.bodyJson().path("nickname").asString()).isEqualTo("Work laptop");
        // Issue 20 §4: confirming a passkey (not suspected here: unchanged); "true" is no valid request.
        var confirmed = call("PATCH", "/v1/users/me/passkeys/" + passkeyId, Map.of("suspected_clone", false),
                passkeyToken);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.bodyJson().path("suspected_clone").asBoolean()).isFalse();
        var marking = call("PATCH", "/v1/users/me/passkeys/" + passkeyId, Map.of("suspected_clone", true),
                passkeyToken);
        assertThat(marking.status()).isEqualTo(400);
        assertThat(marking.bodyJson().path("error").path("details").path("field").asString())
                .isEqualTo("suspected_clone");

        // Someone else sees nothing of it.
        String stranger = accessToken(account("eve.passkey@example.com", SOME_PASSWORD_HASH));
        assertThat(call("PATCH", "/v1/users/me/passkeys/" + passkeyId, Map.of("nickname", "Mine"), stranger).status())
                .isEqualTo(404);
        assertThat(call("DELETE", "/v1/users/me/passkeys/" + passkeyId, null, stranger).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/users/me/passkeys", null, stranger).bodyJson().path("passkeys")).isEmpty();

        // The only way into an account without a password is not deleted.
        var last = call("DELETE", "/v1/users/me/passkeys/" + passkeyId, null, passkeyToken);
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.bodyJson().path("error").path("details").path("reason").asString())
                .isEqualTo("LAST_SIGN_IN_METHOD");

        // With a second passkey, the first goes.
        var other = new SoftwareAuthenticator(SoftwareAuthenticator.Algorithm.EDDSA);
        var otherRegistration = other.register(map(second.bodyJson().path("public_key")),
                SoftwareAuthenticator.Emulation.at(ORIGIN));
        assertThat(call("POST", "/v1/auth/passkeys/register/verify", body("challenge_id",
                second.bodyJson().path("challenge_id").asString(), "credential", otherRegistration.json()),
                passkeyToken).status()).isEqualTo(201);
        assertThat(call("DELETE", "/v1/users/me/passkeys/" + passkeyId, null, passkeyToken).status())
                .isEqualTo(204);
        JsonNode remaining = call("GET", "/v1/users/me/passkeys", null, passkeyToken).bodyJson().path("passkeys");
        assertThat(remaining).hasSize(1);
        assertThat(remaining.get(0).path("nickname").asString()).isEqualTo("Passkey");
    }

    @Test
    void requestsWhenMalformedThenValidationErrorsNamingTheField() {
        String token = accessToken(account("grace.passkey@example.com", SOME_PASSWORD_HASH));
        var notAnObject = call("POST", "/v1/auth/passkeys/login/verify",
                Map.of("challenge_id", "chl_01JD3ZK8W6Q4V8S2M9N7T5R3P1", "credential", "abc"), null);
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(notAnObject.bodyJson().path("error").path("details").path("field").asString())
                .isEqualTo("credential");
        var noChallenge = call("POST", "/v1/auth/passkeys/login/verify", Map.of("credential", Map.of()), null);
        assertThat(noChallenge.status()).isEqualTo(400);
        assertThat(noChallenge.bodyJson().path("error").path("details").path("field").asString())
                .isEqualTo("challenge_id");
        var unknownField = call("POST", "/v1/auth/passkeys/login/options", Map.of("username", "grace"), null);
        assertThat(unknownField.status()).isEqualTo(400);
        var badNickname = call("POST", "/v1/auth/passkeys/register/options", Map.of("nickname", " "), token);
        assertThat(badNickname.status()).isEqualTo(400);
        assertThat(badNickname.bodyJson().path("error").path("details").path("field").asString())
                .isEqualTo("nickname");
        var noNickname = call("PATCH", "/v1/users/me/passkeys/pk_01JD3ZK8W6Q4V8S2M9N7T5R3P1", Map.of(), token);
        assertThat(noNickname.status()).isEqualTo(400);
        var badEmail = call("POST", "/v1/auth/passkeys/login/options", Map.of("email", "not an address"), null);
        assertThat(badEmail.status()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ helpers

    /** Creates an account directly (what register does); an empty hash is an account without a password. */
    private static User account(String email, String passwordHash) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Test Person", passwordHash, false, now, orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Test Person's organization", now, userId),
                AuditEvent.builder(ids, Clock.systemUTC()).occurredAt(now).organizationId(orgId)
                        .actor(Actor.user(userId)).action("account.registered").target("user", userId)
                        .requestId("test").build()));
        return user;
    }

    @Test
    void registerWhenSessionEndedThenUnauthorizedAlthoughTheTokenStillVerifies() {
        User user = account("ivy.passkey@example.com", SOME_PASSWORD_HASH);
        TokenResponse login = sessions.start(new StartSessionCommand(new UserProfile(user.id(),
                user.email().display(), user.name()), user.personalOrganizationId(), List.of("pwd"), "203.0.113.10",
                "req-login"));
        assertThat(call("POST", "/v1/auth/passkeys/register/options", Map.of(), login.accessToken()).status())
                .isEqualTo(200);

        endSession.end(login.refreshToken(), "203.0.113.10", "req-logout");

        assertThat(verifier.verify(login.accessToken()).claims().subject()).isEqualTo(user.id());
        var refused = call("POST", "/v1/auth/passkeys/register/options", Map.of(), login.accessToken());
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("www-authenticate")).contains("invalid_token");
        assertThat(call("POST", "/v1/auth/passkeys/register/verify", Map.of("challenge_id", "chl_x",
                "credential", Map.of()), login.accessToken()).status()).isEqualTo(401);
    }

    @Test
    void manageWhenSessionEndedThenListRenameAndDeleteAreUnauthorized() {
        User user = account("jay.passkey@example.com", SOME_PASSWORD_HASH);
        TokenResponse login = sessions.start(new StartSessionCommand(new UserProfile(user.id(),
                user.email().display(), user.name()), user.personalOrganizationId(), List.of("pwd"), "203.0.113.10",
                "req-login"));
        assertThat(call("GET", "/v1/users/me/passkeys", null, login.accessToken()).status()).isEqualTo(200);

        endSession.end(login.refreshToken(), "203.0.113.10", "req-logout");

        assertThat(verifier.verify(login.accessToken()).claims().subject()).isEqualTo(user.id());
        String path = "/v1/users/me/passkeys/pk_01JAAAAAAAAAAAAAAAAAAAAAAA";
        for (var refused : List.of(call("GET", "/v1/users/me/passkeys", null, login.accessToken()),
                call("PATCH", path, Map.of("nickname", "mine now"), login.accessToken()),
                call("DELETE", path, null, login.accessToken()))) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
            assertThat(refused.bodyJson().path("error").path("code").asString()).isEqualTo("AUTHENTICATION_FAILED");
        }
    }

    @Test
    void registerWhenAuthenticatedOverFiveMinutesAgoThenStepUpChallenge() {
        User user = account("kim.passkey@example.com", SOME_PASSWORD_HASH);
        // A live session whose user signed in six minutes ago: its access token still verifies.
        Clock earlier = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6));
        DynamoDbSessionRepository repository = new DynamoDbSessionRepository(table.client(), EmulatedTable.TABLE);
        var ring = new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE);
        var vault = LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, new SecureRandom());
        CurrentKeys keys = new CurrentKeys(ring, vault, KeyPolicy.defaults(), earlier, Duration.ofSeconds(1));
        StartSession then = new StartSession(repository, new RefreshTokenCrypto(new DynamoDbPeppers(table.client(),
                EmulatedTable.TABLE, vault, new SecureRandom(), earlier), new SecureRandom()),
                new SessionTokens(keys, () -> LambdaHarness.ISSUER, SessionPolicy.defaults(), earlier,
                        new SecureRandom()), SessionPolicy.defaults(),
                new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, earlier), ids, earlier, new SecureRandom());
        String token = then.start(new StartSessionCommand(new UserProfile(user.id(), user.email().display(),
                user.name()), user.personalOrganizationId(), List.of("pwd"), "203.0.113.10", "req-login"))
                .accessToken();
        assertThat(call("GET", "/v1/users/me/passkeys", null, token).status()).as("live session").isEqualTo(200);

        var options = call("POST", "/v1/auth/passkeys/register/options", Map.of(), token);
        assertThat(options.status()).isEqualTo(401);
        assertThat(options.header("www-authenticate")).isEqualTo("Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A more recent authentication is required.\", max_age=\"300\"");
        JsonNode error = options.bodyJson().path("error");
        assertThat(error.path("code").asString()).isEqualTo("AUTHENTICATION_FAILED");
        assertThat(error.path("details").path("reason").asString()).isEqualTo("INSUFFICIENT_USER_AUTHENTICATION");
        assertThat(error.path("details").path("max_age").asInt()).isEqualTo(300);
    }

    /** A session access token of the user, from a real session as password login starts it. */
    private static String accessToken(User user) {
        return sessions.start(new StartSessionCommand(new UserProfile(user.id(), user.email().display(), user.name()),
                user.personalOrganizationId(), List.of("pwd"), "203.0.113.10", "req-login")).accessToken();
    }

    /** A body whose {@code credential} is a JSON object given as text. */
    private static Map<String, Object> body(String... keysAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String value = keysAndValues[i + 1];
            body.put(keysAndValues[i], keysAndValues[i].equals("credential") ? Json.mapper().readTree(value) : value);
        }
        return body;
    }

    /** A request to the function: the route's event with another method, path, body and bearer token. */
    private static LambdaHarness.Response call(String method, String path, Map<String, ?> body, String bearer) {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(read(Events.of("passkey").stream()
                .filter(p -> p.getFileName().toString().equals("login-options-usernameless.json")).findFirst()
                .orElseThrow()));
        var match = ApiCatalog.match(method, path).orElseThrow();
        event.put("routeKey", match.route().key());
        event.put("rawPath", path);
        ObjectNode context = (ObjectNode) event.path("requestContext");
        context.put("routeKey", match.route().key());
        ((ObjectNode) context.path("http")).put("method", method).put("path", path);
        ObjectNode parameters = event.putObject("pathParameters");
        match.pathParameters().forEach(parameters::put);
        ObjectNode headers = (ObjectNode) event.path("headers");
        if (body == null) {
            event.remove("body");
            headers.remove("content-type");
            headers.remove("content-length");
        } else {
            String json = new String(Json.mapper().writeValueAsBytes(body), StandardCharsets.UTF_8);
            event.put("body", json);
            headers.put("content-type", "application/json");
            headers.put("content-length", Integer.toString(json.getBytes(StandardCharsets.UTF_8).length));
        }
        if (bearer != null) {
            headers.put("authorization", "Bearer " + bearer);
        }
        return lambda.invoke(event.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode node) {
        return Json.mapper().treeToValue(node, Map.class);
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
