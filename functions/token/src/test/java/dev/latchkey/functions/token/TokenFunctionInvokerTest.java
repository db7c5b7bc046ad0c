package dev.latchkey.functions.token;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.apikey.ApiKeyCache;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.CreateApiKeyCommand;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.apikey.ManageApiKeys;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.principal.SensitiveOperations;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.infrastructure.apikey.DynamoDbApiKeyRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every {@code events/token/*.json} through the real Lambda entry point ({@code FunctionInvoker}),
 * and a whole refresh-token life through it: login (StartSession on the adapters), refresh, reuse.
 */
class TokenFunctionInvokerTest {

    /** The step-up is not this test's subject (see the core use-case tests): the table is. */
    private static final SensitiveOperations NO_STEP_UP = user -> { };

    private static final String ISSUER = "https://auth.example.test";
    /** The per-IP token budget this test configures ({@code LATCHKEY_OAUTH_TOKEN_PER_MINUTE}), the old default. */
    private static final int TOKEN_LIMIT = 60;
    /** Status and RFC 6749 error code of each event on a fresh store; null for no body. */
    private static final Map<String, List<Object>> EXPECTED = Map.ofEntries(
            Map.entry("refresh-unknown-token.json", List.of(400, "invalid_grant")),
            Map.entry("password-grant.json", List.of(400, "unsupported_grant_type")),
            Map.entry("missing-grant-type.json", List.of(400, "invalid_request")),
            Map.entry("wrong-content-type.json", List.of(400, "invalid_request")),
            Map.entry("revoke-unknown.json", List.of(200, "")),
            Map.entry("revoke-with-unknown-client.json", List.of(401, "invalid_client")),
            Map.entry("exchange-unknown-key.json", List.of(400, "invalid_request")),
            Map.entry("exchange-wrong-token-type.json", List.of(400, "invalid_request")),
            Map.entry("client-credentials-unknown-client.json", List.of(401, "invalid_client")),
            Map.entry("client-credentials-malformed-assertion.json", List.of(401, "invalid_client")),
            Map.entry("client-credentials-two-methods.json", List.of(400, "invalid_request")),
            Map.entry("jwt-bearer-malformed-assertion.json", List.of(400, "invalid_grant")),
            Map.entry("introspect-without-client.json", List.of(401, "invalid_client")),
            Map.entry("authorization-code-unknown-client.json", List.of(401, "invalid_client")),
            Map.entry("refresh-application-unknown-client.json", List.of(401, "invalid_client")),
            Map.entry("userinfo-invalid-token.json", List.of(401, "invalid_token")),
            Map.entry("userinfo-post-invalid-token.json", List.of(401, "invalid_token")));

    private static EmulatedTable table;
    private static LambdaHarness lambda;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        Map<String, String> variables = new HashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_ISSUER", ISSUER);
        variables.put("LATCHKEY_OAUTH_TOKEN_PER_MINUTE", String.valueOf(TOKEN_LIMIT));
        lambda = LambdaHarness.start("dev.latchkey.functions.token.TokenApplication", TokenApplication.FUNCTION,
                variables);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void everyTokenEventAnswersItsDocumentedStatusThroughFunctionInvoker() throws IOException {
        List<Path> events = Events.of("token");
        assertThat(events).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        for (Path event : events) {
            String name = event.getFileName().toString();
            var response = lambda.invoke(Files.readString(event));
            assertThat(response.status()).as(name).isEqualTo(EXPECTED.get(name).get(0));
            assertThat(response.header("cache-control")).as(name).isEqualTo("no-store");
            assertThat(response.header("pragma")).as(name).isEqualTo("no-cache");
            assertThat(response.json().path("headers").propertyNames()).as(name)
                    .doesNotContain("id", "timestamp", "contentType", "aws-context", "ratelimit-remaining");
            String error = (String) EXPECTED.get(name).get(1);
            if (error.isEmpty()) {
                assertThat(response.body()).as(name).isEmpty();
            } else {
                JsonNode body = response.bodyJson();
                assertThat(response.header("content-type")).isEqualTo("application/json");
                assertThat(body.propertyNames()).as(name + ": RFC 6749 §5.2 (RFC 6750 §3) body, not the Latchkey one")
                        .containsExactlyInAnyOrder("error", "error_description");
                assertThat(body.path("error").asString()).as(name).isEqualTo(error);
            }
        }
    }

    @Test
    @DisplayName("[10.4.5] login → refresh → refresh → replay of the first token: family revoked, newest dies")
    void refreshFlowThroughFunctionInvokerRotatesAndRevokesTheFamilyOnReuse() throws IOException {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        List<String> secrets = new ArrayList<>();
        try {
            Clock clock = Clock.systemUTC();
            SecureRandom random = new SecureRandom();
            SortableIdGenerator ids = new SortableIdGenerator(clock, random);
            LocalKeyVault vault = LocalKeyVault.fromBase64(Base64.getEncoder().encodeToString(new byte[32]), random);
            DynamoDbKeyRingRepository ring = new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE);
            DynamoDbAuditLog audit = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, clock);
            new RotateSigningKeys(ring, vault, KeyPolicy.defaults(), audit, ids, clock, random).run("test");
            CurrentKeys keys = new CurrentKeys(ring, vault, KeyPolicy.defaults(), clock, Duration.ofMinutes(5));
            UserProfile user = new UserProfile(ids.next(IdPrefix.USER), "ada@example.com", "Ada Lovelace");
            table.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                    "pk", AttributeValue.fromS("USER#" + user.id()), "sk", AttributeValue.fromS("PROFILE"),
                    "email", AttributeValue.fromS(user.email()), "name", AttributeValue.fromS(user.name()))));
            StartSession start = new StartSession(
                    new DynamoDbSessionRepository(table.client(), EmulatedTable.TABLE),
                    new RefreshTokenCrypto(new DynamoDbPeppers(table.client(), EmulatedTable.TABLE, vault, random,
                            clock), random),
                    new SessionTokens(keys, () -> ISSUER, SessionPolicy.defaults(), clock, random),
                    SessionPolicy.defaults(), audit, ids, clock, random);
            TokenResponse login = start.start(new StartSessionCommand(user, ids.next(IdPrefix.ORGANIZATION),
                    List.of("pwd"), "203.0.113.10", "req-login"));
            secrets.add(login.refreshToken());

            var first = lambda.invoke(refreshEvent(login.refreshToken()));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("cache-control")).isEqualTo("no-store");
            assertThat(first.header("pragma")).isEqualTo("no-cache");
            JsonNode body = first.bodyJson();
            String second = body.path("refresh_token").asString();
            secrets.add(second);
            secrets.add(body.path("access_token").asString());
            assertThat(second).startsWith("lkr_").isNotEqualTo(login.refreshToken());
            assertThat(body.path("token_type").asString()).isEqualTo("Bearer");
            assertThat(body.path("expires_in").asInt()).isEqualTo(900);
            assertThat(body.path("session_id").asString()).isEqualTo(login.sessionId());
            assertThat(body.path("user").path("email").asString()).isEqualTo("ada@example.com");
            var claims = new AccessTokenVerifier(keys, ISSUER, Set.of(ISSUER), clock)
                    .verify(body.path("access_token").asString()).claims();
            assertThat(claims.subject()).isEqualTo(user.id());
            assertThat(claims.sessionId()).contains(login.sessionId());
            assertThat(claims.clientId()).contains("latchkey");

            var secondResponse = lambda.invoke(refreshEvent(second));
            assertThat(secondResponse.status()).isEqualTo(200);
            String third = secondResponse.bodyJson().path("refresh_token").asString();
            secrets.add(third);

            var replay = lambda.invoke(refreshEvent(login.refreshToken()));
            assertThat(replay.status()).isEqualTo(400);
            assertThat(replay.bodyJson().path("error").asString()).isEqualTo("invalid_grant");
            var newest = lambda.invoke(refreshEvent(third));
            assertThat(newest.status()).as("the family is revoked").isEqualTo(400);
            assertThat(newest.bodyJson().path("error").asString()).isEqualTo("invalid_grant");
            assertThat(replay.body()).as("reuse looks like any other failure").isEqualTo(newest.body());
        } finally {
            root.detachAppender(appender);
        }
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("\"route\":\"POST /oauth/token\""));
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage() + e.getThrowableProxy())
                .doesNotContain(secrets));
    }

    @Test
    @DisplayName("[15.3.4] per source IP: over LATCHKEY_OAUTH_TOKEN_PER_MINUTE (60 here) → 429 slow_down")
    void tokenWhenSourceIpExceedsLimitThenTooManyRequests() throws IOException {
        String event = Files.readString(event("password-grant.json")).replace("203.0.113.10", "198.51.100.77");
        LambdaHarness.Response response = null;
        for (int i = 0; i < 2 * TOKEN_LIMIT + 2; i++) {
            response = lambda.invoke(event);
            if (response.status() == 429) {
                break;
            }
        }
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.bodyJson().path("error").asString()).isEqualTo("slow_down");
        assertThat(response.header("retry-after")).isNotBlank();
        assertThat(response.header("ratelimit-limit")).isEqualTo("60");
        assertThat(response.header("x-ratelimit-remaining")).isEqualTo("0");
        String other = Files.readString(event("password-grant.json")).replace("203.0.113.10", "198.51.100.78");
        assertThat(lambda.invoke(other).status()).as("another address has its own bucket").isEqualTo(400);
    }

    @Test
    @DisplayName("RFC 8693 through FunctionInvoker: an API key → a JWT that verifies; revoked → invalid_request")
    void exchangeFlowThroughFunctionInvoker() throws IOException {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        SortableIdGenerator ids = new SortableIdGenerator(clock, random);
        LocalKeyVault vault = LocalKeyVault.fromBase64(Base64.getEncoder().encodeToString(new byte[32]), random);
        DynamoDbKeyRingRepository ring = new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE);
        DynamoDbAuditLog audit = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, clock);
        new RotateSigningKeys(ring, vault, KeyPolicy.defaults(), audit, ids, clock, random).run("test");
        DynamoDbApiKeyRepository repository = new DynamoDbApiKeyRepository(table.client(), EmulatedTable.TABLE, audit);
        ManageApiKeys manage = new ManageApiKeys(repository, new ApiKeyHasher(new DynamoDbPeppers(table.client(),
                EmulatedTable.TABLE, vault, random, clock)), ApiKeyCache.disabled(clock), ids, random, clock,
                NO_STEP_UP);
        String organizationId = ids.next(IdPrefix.ORGANIZATION);
        table.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + organizationId),
                LatchkeyTable.SK, AttributeValue.fromS("ORG"))));
        OrgAccess owner = new OrgAccess(organizationId, new Caller.User(ids.next(IdPrefix.USER),
                ids.next(IdPrefix.SESSION)), Role.OWNER.permissions());
        CreatedApiKey created = manage.create(owner, new CreateApiKeyCommand("worker",
                List.of("read_models", "run_inference"), Optional.empty(), Optional.empty(), Optional.empty()),
                RequestOrigin.of("203.0.113.10", "req-create"));

        var response = lambda.invoke(exchangeEvent(created.token().value()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("cache-control")).isEqualTo("no-store");
        JsonNode body = response.bodyJson();
        assertThat(body.path("scope").asString()).isEqualTo("read_models run_inference");
        CurrentKeys keys = new CurrentKeys(ring, vault, KeyPolicy.defaults(), clock, Duration.ofMinutes(5));
        var claims = new AccessTokenVerifier(keys, ISSUER, Set.of(ISSUER), clock)
                .verify(body.path("access_token").asString()).claims();
        assertThat(claims.subject()).isEqualTo(created.key().id());
        assertThat(claims.clientId()).as("RFC 9068 §2.2 client_id: the key").contains(created.key().id());
        assertThat(claims.org()).contains(owner.organizationId());
        assertThat(new String(Base64.getUrlDecoder().decode(body.path("access_token").asString().split("\\.")[0]),
                StandardCharsets.UTF_8)).contains("\"typ\":\"JWT\"");
        assertThat(repository.find(created.key().id()).orElseThrow().useCount())
                .as("the first use in a container is written at once").isEqualTo(1);

        var tokenRevoked = lambda.invoke(revokeEvent(body.path("access_token").asString()));
        assertThat(tokenRevoked.status()).as("Issue 11 §5: the JWT is revoked").isEqualTo(200);
        assertThat(tokenRevoked.body()).isEmpty();
        assertThat(table.client().getItem(g -> g.tableName(EmulatedTable.TABLE).consistentRead(true).key(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("REVOKED_JTI#" + claims.jwtId()),
                LatchkeyTable.SK, AttributeValue.fromS("REVOKED_JTI")))).hasItem()).isTrue();

        var keyRevoked = lambda.invoke(revokeEvent(created.token().value()));
        assertThat(keyRevoked.status()).as("Issue 11 §5: the API key is revoked as the revoke route does")
                .isEqualTo(200);
        assertThat(repository.find(created.key().id()).orElseThrow().revocation()).isPresent();
        var revoked = lambda.invoke(exchangeEvent(created.token().value()));
        assertThat(revoked.status()).isEqualTo(400);
        assertThat(revoked.bodyJson().path("error").asString()).isEqualTo("invalid_request");
        assertThat(revoked.bodyJson().path("error_description").asString())
                .isEqualTo("The API key is invalid, expired or revoked.");
    }

    private static String exchangeEvent(String key) throws IOException {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(Files.readString(event("exchange-unknown-key.json")));
        event.put("body", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=" + key
                + "&subject_token_type=urn%3Alatchkey%3Aparams%3Aoauth%3Atoken-type%3Aapi_key");
        return event.toString();
    }

    private static String revokeEvent(String token) throws IOException {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(Files.readString(event("revoke-unknown.json")));
        event.put("body", "token=" + token);
        ((ObjectNode) event.path("headers")).remove("content-length");
        return event.toString();
    }

    private static String refreshEvent(String refreshToken) throws IOException {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(Files.readString(event("refresh-unknown-token.json")));
        event.put("body", "grant_type=refresh_token&refresh_token=" + refreshToken);
        return event.toString();
    }

    private static Path event(String name) {
        return Events.of("token").stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow();
    }
}
