package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.client.ClientKeyFixture;
import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.infrastructure.client.DynamoDbClientRepository;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.testing.Refusals;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

/**
 * Every {@code events/orgs/client-*.json}, a client's whole credential life, strict parsing, and the endpoint × role
 * matrix of the client routes, through the real Lambda entry point ({@code FunctionInvoker}) with the local key
 * vault and the emulated table.
 */
class ClientsFunctionInvokerTest {

    private static final Map<String, Integer> EXPECTED_STATUS = Map.ofEntries(
            Map.entry("client-create-without-credential.json", 401),
            Map.entry("client-list-without-credential.json", 401),
            Map.entry("client-list-unknown-api-key.json", 401),
            Map.entry("client-show-without-credential.json", 401),
            Map.entry("client-show-not-a-member.json", 404),
            Map.entry("client-update-without-credential.json", 401),
            Map.entry("client-delete-without-credential.json", 401),
            Map.entry("client-secret-add-without-credential.json", 401),
            Map.entry("client-secret-revoke-without-credential.json", 401),
            Map.entry("client-key-add-without-credential.json", 401),
            Map.entry("client-key-revoke-without-credential.json", 401));

    private static final Map<Integer, String> EXPECTED_CODE = Map.of(401, "AUTHENTICATION_FAILED", 404, "NOT_FOUND");
    private static final Map<String, Integer> SUCCESS = Map.of(
            ClientEndpoints.CREATE, 201, ClientEndpoints.LIST, 200, ClientEndpoints.SHOW, 200,
            ClientEndpoints.UPDATE, 200, ClientEndpoints.DELETE, 204, ClientEndpoints.ADD_SECRET, 201,
            ClientEndpoints.REVOKE_SECRET, 204, ClientEndpoints.ADD_KEY, 201, ClientEndpoints.REVOKE_KEY, 204);
    private static final AtomicInteger EMAILS = new AtomicInteger();

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static EmulatedTable table;
    private static Accounts accounts;
    private static DynamoDbClientRepository clients;
    private static ClientSecretHasher secretHasher;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, dataDir);
        table = function.table();
        accounts = function.accounts();
        clients = new DynamoDbClientRepository(table.client(), EmulatedTable.TABLE, function.auditLog());
        SecureRandom random = new SecureRandom();
        secretHasher = new ClientSecretHasher(new DynamoDbPeppers(table.client(), EmulatedTable.TABLE,
                LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, random), random, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    // ------------------------------------------------------------------ fixtures and requests

    /** An organization made through the orgs routes, with the caller as its owner. */
    private static String organization(Person owner) {
        var created = call("POST", "/v1/orgs", "", owner.bearer(), Map.of("name",
                "Clients " + EMAILS.incrementAndGet()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.bodyJson().path("id").asString();
    }

    /** A resource of the organization: the item the resources routes write. */
    private static String resource(String organizationId) {
        String resourceId = accounts.ids().next(IdPrefix.RESOURCE);
        table.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + organizationId),
                LatchkeyTable.SK, AttributeValue.fromS("RESOURCE#" + resourceId),
                "resourceId", AttributeValue.fromS(resourceId))));
        return resourceId;
    }

    private static LambdaHarness.Response call(String method, String path, String query, Map<String, String> auth,
            Object body) {
        return function.invoke(method, path, query, auth, body);
    }

    private static String clients(String organizationId) {
        return "/v1/orgs/" + organizationId + "/clients";
    }

    private static Map<String, Object> jwk() {
        return Map.of("jwk", ClientKeyFixture.jwk(ClientKeyFixture.ed25519().getPublic()));
    }

    // ------------------------------------------------------------------ events

    @Test
    void everyClientEventAnswersItsDocumentedStatusThroughFunctionInvoker() throws IOException {
        List<Path> files = Events.of("orgs").stream()
                .filter(p -> p.getFileName().toString().startsWith("client-")).toList();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(EXPECTED_STATUS.keySet());
        Set<String> routes = new HashSet<>();
        Person signedIn = accounts.person("events");
        for (Path file : files) {
            String name = file.getFileName().toString();
            String text = Files.readString(file).replace("TEST_ACCESS_TOKEN", signedIn.accessToken());
            JsonNode event = Json.mapper().readTree(text);
            assertThat(ApiCatalog.match(event.path("requestContext").path("http").path("method").asString(),
                    event.path("rawPath").asString())).as(name + " is a catalog route")
                    .hasValueSatisfying(m -> assertThat(m.route().key()).isEqualTo(event.path("routeKey").asString()));
            routes.add(event.path("routeKey").asString());
            var response = function.invoke(text);
            int expected = EXPECTED_STATUS.get(name);
            assertThat(response.status()).as(name + " " + response.body()).isEqualTo(expected);
            assertThat(response.errorCode()).as(name).isEqualTo(EXPECTED_CODE.get(expected));
        }
        assertThat(routes).as("an event for every route")
                .containsExactlyInAnyOrderElementsOf(ClientEndpoints.PERMISSIONS.keySet());
    }

    // ------------------------------------------------------------------ the whole life

    @Test
    @DisplayName("create (first secret once) → add an Ed25519 JWK key → add a second secret → revoke the first → "
            + "show → update → delete takes credentials and grants")
    void clientCredentialLifeThroughFunctionInvoker() {
        Person owner = accounts.person("flow.owner");
        String id = organization(owner);
        String resourceId = resource(id);

        var created = call("POST", clients(id), "", owner.bearer(), Map.of("name", "billing sync",
                "allowed_resources", List.of(resourceId)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("cache-control")).isEqualTo("no-store");
        String clientId = created.bodyJson().path("client_id").asString();
        assertThat(clientId).startsWith("cli_");
        assertThat(created.bodyJson().path("allowed_resources").get(0).asString()).isEqualTo(resourceId);
        String firstSecretId = created.bodyJson().path("secret").path("secret_id").asString();
        String firstSecret = created.bodyJson().path("secret").path("client_secret").asString();
        assertThat(firstSecret).matches("lkcs_[A-Za-z0-9_-]{43}");

        var key = call("POST", clients(id) + "/" + clientId + "/keys", "", owner.bearer(), jwk());
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        assertThat(key.bodyJson().path("alg").asString()).isEqualTo("EdDSA");
        assertThat(key.bodyJson().path("kid").asString()).hasSize(43);
        String keyId = key.bodyJson().path("key_id").asString();

        var second = call("POST", clients(id) + "/" + clientId + "/secrets", "", owner.bearer(),
                Map.of("expires_in_days", 90));
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(second.header("cache-control")).isEqualTo("no-store");
        String secondSecret = second.bodyJson().path("client_secret").asString();
        assertThat(second.bodyJson().path("expires_at").asString()).isNotBlank();

        var revoked = call("DELETE", clients(id) + "/" + clientId + "/secrets/" + firstSecretId, "", owner.bearer(),
                null);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);

        var shown = call("GET", clients(id) + "/" + clientId, "", owner.bearer(), null);
        assertThat(shown.status()).isEqualTo(200);
        JsonNode secrets = shown.bodyJson().path("secrets");
        assertThat(secrets).hasSize(2);
        assertThat(secrets.findValuesAsString("state")).containsExactlyInAnyOrder("revoked", "active");
        assertThat(shown.bodyJson().path("keys").get(0).path("key_id").asString()).isEqualTo(keyId);
        assertThat(shown.bodyJson().path("keys").get(0).path("state").asString()).isEqualTo("active");
        ServiceClient stored = clients.find(clientId).orElseThrow();
        String hashes = stored.secrets().stream().map(s -> HexFormat.of().formatHex(s.hash())).toList().toString();
        assertThat(shown.body()).doesNotContain(firstSecret).doesNotContain(secondSecret).doesNotContain("hash")
                .doesNotContain("lkcs_");
        assertThat(stored.secret(firstSecretId).orElseThrow().revokedAt()).isPresent();
        assertThat(stored.usableSecrets(Instant.now())).singleElement()
                .satisfies(s -> assertThat(secretHasher.matches(secondSecret, s.hash())).isTrue());

        var list = call("GET", clients(id), "limit=10", owner.bearer(), null);
        assertThat(list.bodyJson().path("clients").findValuesAsString("client_id")).containsExactly(clientId);
        assertThat(list.body()).doesNotContain("secrets");

        var renamed = call("PATCH", clients(id) + "/" + clientId, "", owner.bearer(), Map.of("name", "billing v2",
                "allowed_resources", List.of()));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.bodyJson().path("allowed_resources")).isEmpty();

        table.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + id),
                LatchkeyTable.SK, AttributeValue.fromS("GRANT#" + resourceId + "#" + clientId),
                "granteeId", AttributeValue.fromS(clientId))));
        var deleted = call("DELETE", clients(id) + "/" + clientId, "", owner.bearer(), null);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(call("GET", clients(id) + "/" + clientId, "", owner.bearer(), null).status()).isEqualTo(404);
        assertThat(table.client().getItem(g -> g.tableName(EmulatedTable.TABLE).key(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + id),
                LatchkeyTable.SK, AttributeValue.fromS("GRANT#" + resourceId + "#" + clientId)))).hasItem()).isFalse();

        List<AuditEvent> trail = function.auditEvents(id);
        assertThat(trail).extracting(AuditEvent::action).contains("client.created", "client.key_added",
                "client.secret_added", "client.secret_revoked", "client.updated", "client.deleted");
        for (AuditEvent event : trail) {
            assertThat(event.toString() + event.details()).doesNotContain("lkcs_").doesNotContain(hashes);
        }
    }

    @Test
    void requestsWhenMalformedDuplicateOrForeignThenRefusedNamingTheReason() {
        Person owner = accounts.person("strict.owner");
        String id = organization(owner);
        String clientId = call("POST", clients(id), "", owner.bearer(), Map.of("name", "strict", "secret", false))
                .bodyJson().path("client_id").asString();
        assertThat(call("GET", clients(id) + "/" + clientId, "", owner.bearer(), null).bodyJson().path("secrets"))
                .isEmpty();

        Map<String, Object> privateJwk = new LinkedHashMap<>(ClientKeyFixture.jwk(ClientKeyFixture.ed25519()
                .getPublic()));
        privateJwk.put("d", "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
        var leaked = call("POST", clients(id) + "/" + clientId + "/keys", "", owner.bearer(),
                Map.of("jwk", privateJwk));
        assertThat(leaked.status()).isEqualTo(400);
        assertThat(leaked.errorReason()).isEqualTo("PRIVATE_KEY_MATERIAL");
        assertThat(leaked.body()).doesNotContain("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");

        Map<String, Object> body = jwk();
        assertThat(call("POST", clients(id) + "/" + clientId + "/keys", "", owner.bearer(), body).status())
                .isEqualTo(201);
        var duplicate = call("POST", clients(id) + "/" + clientId + "/keys", "", owner.bearer(), body);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorReason()).isEqualTo("KEY_EXISTS");
        var both = call("POST", clients(id) + "/" + clientId + "/keys", "", owner.bearer(), Map.of("jwk",
                Map.of("kty", "OKP"), "certificate", "x"));
        assertThat(both.errorReason()).isEqualTo("ONE_OF");

        String foreignResource = resource(accounts.person("strict.other").personalOrganizationId());
        var foreign = call("POST", clients(id), "", owner.bearer(), Map.of("name", "x", "allowed_resources",
                List.of(foreignResource)));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.errorReason()).isEqualTo("UNKNOWN_RESOURCE");
        var unknownField = call("POST", clients(id), "", owner.bearer(),
                "{\"name\": \"x\", \"org_id\": \"" + id + "\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        var notWhole = call("POST", clients(id) + "/" + clientId + "/secrets", "", owner.bearer(),
                "{\"expires_in_days\": 7.5}");
        assertThat(notWhole.status()).isEqualTo(400);
        assertThat(call("POST", clients(id) + "/" + clientId + "/secrets", "", owner.bearer(), null).status())
                .as("no body: a secret without expiry").isEqualTo(201);
        assertThat(call("GET", clients(id), "limit=0", owner.bearer(), null).status()).isEqualTo(400);
        assertThat(call("GET", clients(id), "sort=name", owner.bearer(), null).status()).isEqualTo(400);
        assertThat(call("GET", clients(id), "cursor=bogus", owner.bearer(), null).status()).isEqualTo(400);
        assertThat(call("GET", clients(id) + "/cli_nope", "", owner.bearer(), null).status()).isEqualTo(404);

        Person stranger = accounts.person("strict.stranger");
        String strangerOrg = organization(stranger);
        var otherOrgsClient = call("GET", clients(strangerOrg) + "/" + clientId, "", stranger.bearer(), null);
        assertThat(otherOrgsClient.status()).as("another organization's client id").isEqualTo(404);
        var otherOrgsRevoke = call("DELETE", clients(strangerOrg) + "/" + clientId, "", stranger.bearer(), null);
        assertThat(otherOrgsRevoke.status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ endpoint × role matrix

    /** Who calls, and the status a route's permission implies for them (0: the route's success). */
    private record Caller(String name, Map<String, String> auth, ToIntFunction<String> expected) {
    }

    @Test
    @DisplayName("[8.2] every client route × owner, admin, member, viewer, keys with and without its permission, "
            + "another organization's user and key: allowed, 403 or 404")
    void everyRouteAndCallerAnswersWhatTheRoleAndRouteTableSay() {
        Person owner = accounts.person("matrix.owner");
        String id = organization(owner);
        String resourceId = resource(id);
        Map<Role, Person> byRole = new LinkedHashMap<>();
        for (Role role : List.of(Role.ADMIN, Role.MEMBER, Role.VIEWER)) {
            Person person = accounts.person("matrix." + role.text());
            accounts.join(person, id, role);
            byRole.put(role, person);
        }
        Person stranger = accounts.person("matrix.stranger");
        String strangerKey = accounts.apiKey(stranger.personalOrganizationId(), Role.OWNER.permissions());

        SoftAssertions softly = new SoftAssertions();
        int checked = 0;
        for (Map.Entry<String, String> route : ClientEndpoints.PERMISSIONS.entrySet()) {
            String permission = route.getValue();
            Set<String> with = new HashSet<>(Role.VIEWER.permissions());
            with.add(permission);
            Set<String> without = new HashSet<>(Role.ADMIN.permissions());
            without.remove(permission);
            List<Caller> callers = new ArrayList<>();
            callers.add(new Caller("owner", owner.bearer(), p -> 0));
            byRole.forEach((role, person) -> callers.add(new Caller(role.text(), person.bearer(),
                    p -> role.permissions().contains(p) ? 0 : 403)));
            callers.add(new Caller("key with " + permission, HttpEvents.apiKey(accounts.apiKey(id, with)), p -> 0));
            callers.add(new Caller("key without it", HttpEvents.apiKey(accounts.apiKey(id, without)), p -> 403));
            callers.add(new Caller("member of another organization", stranger.bearer(), p -> 404));
            callers.add(new Caller("key of another organization", HttpEvents.apiKey(strangerKey), p -> 404));
            for (Caller caller : callers) {
                var response = send(route.getKey(), id, resourceId, owner, caller.auth());
                int expected = caller.expected().applyAsInt(permission);
                String where = route.getKey() + " as " + caller.name() + ": " + response.body();
                if (expected == 0) {
                    softly.assertThat(response.status()).as(where).isEqualTo(SUCCESS.get(route.getKey()));
                } else {
                    Refusals.assertRefused(softly, response, expected, permission, where);
                }
                checked++;
            }
        }
        softly.assertAll();
        assertThat(checked).isEqualTo(ClientEndpoints.PERMISSIONS.size() * 8);
        List<AuditEvent> trail = function.auditEvents(id);
        assertThat(trail).filteredOn(e -> e.action().equals("authorization.denied")).as("denials are audited")
                .isNotEmpty();
        assertThat(trail).extracting(AuditEvent::action).contains("client.created", "client.updated",
                "client.deleted", "client.secret_added", "client.secret_revoked", "client.key_added",
                "client.key_revoked");
    }

    /** One valid request of the route by {@code auth}; targets are made fresh by the owner. */
    private static LambdaHarness.Response send(String route, String id, String resourceId, Person owner,
            Map<String, String> auth) {
        if (route.equals(ClientEndpoints.CREATE)) {
            return call("POST", clients(id), "", auth, Map.of("name", "matrix", "allowed_resources",
                    List.of(resourceId)));
        }
        if (route.equals(ClientEndpoints.LIST)) {
            return call("GET", clients(id), "limit=5", auth, null);
        }
        JsonNode target = call("POST", clients(id), "", owner.bearer(), Map.of("name", "target")).bodyJson();
        String client = clients(id) + "/" + target.path("client_id").asString();
        switch (route) {
            case ClientEndpoints.SHOW:
                return call("GET", client, "", auth, null);
            case ClientEndpoints.UPDATE:
                return call("PATCH", client, "", auth, Map.of("name", "renamed"));
            case ClientEndpoints.DELETE:
                return call("DELETE", client, "", auth, null);
            case ClientEndpoints.ADD_SECRET:
                return call("POST", client + "/secrets", "", auth, Map.of());
            case ClientEndpoints.REVOKE_SECRET:
                return call("DELETE", client + "/secrets/" + target.path("secret").path("secret_id").asString(), "",
                        auth, null);
            case ClientEndpoints.ADD_KEY:
                return call("POST", client + "/keys", "", auth, jwk());
            case ClientEndpoints.REVOKE_KEY: {
                String keyId = call("POST", client + "/keys", "", owner.bearer(), jwk()).bodyJson().path("key_id")
                        .asString();
                return call("DELETE", client + "/keys/" + keyId, "", auth, null);
            }
            default:
                throw new IllegalArgumentException(route);
        }
    }
}
