package dev.latchkey.functions.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.apikey.CreateApiKeyCommand;
import dev.latchkey.core.client.AssertionSigner;
import dev.latchkey.core.client.ClientKeyFixture;
import dev.latchkey.core.client.CreateClientCommand;
import dev.latchkey.core.client.CreatedClient;
import dev.latchkey.core.client.NewClientKey;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The DynamoDB requests of one token on the hot paths — {@code client_credentials} with a secret and with an Ed25519
 * assertion, the API-key exchange — through the real Lambda entry on the emulated table, counted on the function's
 * own SDK client ({@link CountingDynamoDbInterceptor}); docs/performance.md "DynamoDB requests per token": a
 * successful token writes no per-address counter ({@code RefusalBudget} counts refusals) and no event of its own
 * (the audit log's per-minute issuance summary, one {@code UpdateItem}). The function runs with
 * {@code LATCHKEY_TOKEN_CACHE_SECONDS=10} (the default): the first token of a container reads the client, the
 * resource and its grants, the next ones within 10 s read none of them.
 */
class ClientTokenRequestCountTest {

    private static final String API = "https://api.example.com";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-setup");
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static LatchkeyRuntime runtime;
    private static String clientId;
    private static String secret;
    private static KeyPair ed25519;
    private static String apiKey;
    private static OrgAccess owner;

    @BeforeAll
    static void start() throws IOException {
        table = EmulatedTable.start();
        Accounts accounts = Accounts.in(table);
        Map<String, String> variables = new LinkedHashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", Files.createTempDirectory("latchkey-token-count").toString());
        variables.put("LATCHKEY_TOKEN_CACHE_SECONDS", "10");
        lambda = LambdaHarness.start(TokenApplication.class.getName(), TokenApplication.FUNCTION, variables);
        runtime = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(variables, "test"), variables);
        CompositionRoot root = new CompositionRoot(runtime);
        String ownerId = accounts.person("owner@example.com", true).userId();
        String orgId = root.manageOrganizations().create(ownerId, "Acme", ORIGIN).id();
        owner = new OrgAccess(orgId, new Caller.User(ownerId, runtime.ids().next(IdPrefix.SESSION)),
                Role.OWNER.permissions());
        Resource resource = root.manageResources().create(owner, "API", API, List.of("read", "write"), ORIGIN);
        CreatedClient created = root.manageClients().create(owner, new CreateClientCommand("worker",
                List.of(resource.resourceId()), true), ORIGIN);
        clientId = created.client().clientId();
        secret = created.secret().orElseThrow().value();
        ed25519 = ClientKeyFixture.ed25519();
        Map<String, Object> jwk = new LinkedHashMap<>(ClientKeyFixture.jwk(ed25519.getPublic()));
        jwk.put("kid", "ed-1");
        root.manageClients().addKey(owner, clientId, new NewClientKey(Optional.of(jwk), Optional.empty()), ORIGIN);
        root.manageGrants().set(owner, resource.resourceId(), clientId, List.of("read"), ORIGIN);
        apiKey = root.manageApiKeys().create(owner, new CreateApiKeyCommand("worker", List.of("read"),
                Optional.empty(), Optional.empty(), Optional.empty()), ORIGIN).token().value();
        // The container's first token opens the signing key (key ring reads): not the hot path.
        assertThat(secretToken().status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        table.close();
    }

    private static LambdaHarness.Response token(Map<String, String> headers, String... pairs) {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(HttpEvents.event("POST", "/oauth/token", "", headers,
                null));
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            body.append(i == 0 ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        ((ObjectNode) event.path("headers")).put("content-type", FORM);
        event.put("body", body.toString());
        ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp",
                "198.51.100." + (100 + ADDRESSES.incrementAndGet() % 100));
        return lambda.invoke(event.toString());
    }

    private static LambdaHarness.Response secretToken() {
        return token(Map.of("authorization", "Basic " + Base64.getEncoder().encodeToString(
                (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8))), "grant_type", "client_credentials",
                "resource", API);
    }

    private static LambdaHarness.Response assertionToken() {
        return token(Map.of(), "grant_type", "client_credentials", "resource", API, "client_assertion_type",
                ASSERTION_TYPE, "client_assertion", AssertionSigner.sign(ed25519, "ed-1", clientId,
                        LambdaHarness.ISSUER + "/oauth/token", Instant.now()));
    }

    private static LambdaHarness.Response exchange() {
        return token(Map.of(), "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token",
                apiKey, "subject_token_type", "urn:latchkey:params:oauth:token-type:api_key", "resource", API);
    }

    private static Map<String, Integer> requests(java.util.function.Supplier<LambdaHarness.Response> call) {
        return CountingDynamoDbInterceptor.requests(() -> assertThat(call.get().status()).isEqualTo(200));
    }

    @Test
    @DisplayName("client_credentials with a secret, warm: one request, the issuance summary's UpdateItem")
    void secretTokenWhenWarmThenOneWrite() {
        secretToken();
        assertThat(requests(ClientTokenRequestCountTest::secretToken)).isEqualTo(Map.of("UpdateItem", 1));
    }

    @Test
    @DisplayName("a fleet: secret tokens from 20 addresses in one minute, every one a single UpdateItem")
    void secretTokensWhenManyAddressesThenEachOneWrite() {
        secretToken();
        for (int i = 0; i < 20; i++) {
            assertThat(requests(ClientTokenRequestCountTest::secretToken)).isEqualTo(Map.of("UpdateItem", 1));
        }
    }

    @Test
    @DisplayName("client_credentials with an Ed25519 assertion, warm: the jti's conditional put and the summary")
    void assertionTokenWhenWarmThenJtiAndSummary() {
        assertionToken();
        assertThat(requests(ClientTokenRequestCountTest::assertionToken))
                .isEqualTo(Map.of("PutItem", 1, "UpdateItem", 1));
    }

    @Test
    @DisplayName("API-key exchange, warm: the key's GetItem and the summary's UpdateItem")
    void exchangeWhenWarmThenOneReadOneWrite() {
        exchange();
        assertThat(requests(ClientTokenRequestCountTest::exchange)).isEqualTo(Map.of("GetItem", 1, "UpdateItem", 1));
    }

    @Test
    @DisplayName("a wrong secret: the client read again (cache on), counted against the address's budget and audited"
            + " on its own (Query + UpdateItem + PutItem)")
    void wrongSecretWhenWarmThenCounterAndOwnAuditEvent() {
        Map<String, Integer> counted = CountingDynamoDbInterceptor.requests(() -> assertThat(token(Map.of(
                "authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret + "x")
                        .getBytes(StandardCharsets.UTF_8))), "grant_type", "client_credentials", "resource", API)
                .status()).isEqualTo(401));
        assertThat(counted).isEqualTo(Map.of("Query", 1, "UpdateItem", 1, "PutItem", 1));
    }

    @Test
    @DisplayName("a secret added through another container: works at once on a warm container (one fresh Query)")
    void secretAddedElsewhereWhenWarmThenOneFreshReadAndAccepted() {
        secretToken();
        // Another container: its own CompositionRoot, whose write does not clear the function's cache.
        String added = new CompositionRoot(runtime).manageClients().addSecret(owner, clientId, Optional.empty(), ORIGIN)
                .value();
        Map<String, Integer> counted = CountingDynamoDbInterceptor.requests(() -> assertThat(token(Map.of(
                "authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + added)
                        .getBytes(StandardCharsets.UTF_8))), "grant_type", "client_credentials", "resource", API)
                .status()).isEqualTo(200));
        assertThat(counted).isEqualTo(Map.of("Query", 1, "UpdateItem", 1));
    }
}
