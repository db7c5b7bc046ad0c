package dev.latchkey.functions.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.ApiKeyToken;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.infrastructure.apikey.DynamoDbApiKeyRepository;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every {@code events/api-keys/*.json}, the whole life of a key, and the endpoint × role matrix, through the
 * real Lambda entry point ({@code FunctionInvoker}) with the local key vault and the emulated table. Users are
 * created the way register creates them (account, personal organization, owner membership); admins, members and
 * viewers get membership items written directly (inviting members is a later issue); access tokens are signed
 * with the table's key ring, as the login function signs them.
 */
class ApiKeysFunctionInvokerTest {

    private static final Map<String, Integer> EXPECTED_STATUS = Map.ofEntries(
            Map.entry("create-without-credential.json", 401),
            Map.entry("list-without-credential.json", 401),
            Map.entry("list-key-in-query.json", 400),
            Map.entry("list-unknown-api-key.json", 401),
            Map.entry("stats-without-credential.json", 401),
            Map.entry("show-without-credential.json", 401),
            Map.entry("revoke-without-credential.json", 401),
            Map.entry("roll-without-credential.json", 401),
            Map.entry("credits-without-credential.json", 401),
            Map.entry("update-without-credential.json", 401),
            Map.entry("analytics-without-credential.json", 401),
            Map.entry("key-analytics-without-credential.json", 401),
            Map.entry("delete-without-credential.json", 401),
            Map.entry("verify-unknown-key.json", 200),
            Map.entry("verify-malformed.json", 400),
            Map.entry("verify-missing-key.json", 400));

    /** What each organization route answers when allowed. */
    private static final Map<String, Integer> SUCCESS = Map.ofEntries(
            Map.entry(ApiKeysEndpoints.CREATE, 201), Map.entry(ApiKeysEndpoints.LIST, 200),
            Map.entry(ApiKeysEndpoints.STATS, 200), Map.entry(ApiKeysEndpoints.SHOW, 200),
            Map.entry(ApiKeysEndpoints.REVOKE, 200), Map.entry(ApiKeysEndpoints.ROLL, 201),
            Map.entry(ApiKeysEndpoints.DELETE, 204), Map.entry(ApiKeysEndpoints.CREDITS, 200),
            Map.entry(ApiKeysEndpoints.UPDATE, 200), Map.entry(ApiKeysEndpoints.ANALYTICS, 200),
            Map.entry(ApiKeysEndpoints.KEY_ANALYTICS, 200));

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static Accounts accounts;
    private static DynamoDbApiKeyRepository keys;
    private static ApiKeyHasher hasher;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(ApiKeysApplication.class.getName(), ApiKeysApplication.FUNCTION, dataDir);
        accounts = function.accounts();
        EmulatedTable table = function.table();
        keys = new DynamoDbApiKeyRepository(table.client(), EmulatedTable.TABLE, function.auditLog());
        SecureRandom random = new SecureRandom();
        hasher = new ApiKeyHasher(new DynamoDbPeppers(table.client(), EmulatedTable.TABLE,
                LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, random), random, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    // ------------------------------------------------------------------ requests

    private static String base(String organizationId) {
        return "/v1/orgs/" + organizationId + "/api-keys";
    }

    private static LambdaHarness.Response call(String method, String path, String query, Map<String, String> credential,
            Object body) {
        return function.invoke(method, path, query, credential, body);
    }

    private static LambdaHarness.Response create(Map<String, String> credential, String organizationId, Object body) {
        return call("POST", base(organizationId), "", credential, body);
    }

    /** Creates a key as the credential and answers its id and secret. */
    private static String[] createKey(Map<String, String> credential, String organizationId, List<String> permissions) {
        var created = create(credential, organizationId, Map.of("name", "fixture", "permissions", permissions));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new String[] {created.bodyJson().path("id").asString(), created.bodyJson().path("key").asString()};
    }

    private static LambdaHarness.Response verify(String key, String permission) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("key", key);
        if (permission != null) {
            body.put("permission", permission);
        }
        return call("POST", "/v1/api-keys/verify", "", Map.of(), body);
    }

    private static String eventFile(String name) {
        try {
            return Files.readString(Events.of("api-keys").stream().filter(p -> p.getFileName().toString().equals(name))
                    .findFirst().orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ events

    @Test
    void everyApiKeysEventAnswersItsDocumentedStatusThroughFunctionInvoker() {
        var events = Events.of("api-keys");
        assertThat(events).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(EXPECTED_STATUS.keySet());
        Map<String, LambdaHarness.Response> responses = new LinkedHashMap<>();
        for (Path file : events) {
            String name = file.getFileName().toString();
            JsonNode event = Json.mapper().readTree(eventFile(name));
            assertThat(ApiCatalog.match(event.path("requestContext").path("http").path("method").asString(),
                    event.path("rawPath").asString())).as(name + " is a catalog route")
                    .hasValueSatisfying(m -> assertThat(m.route().key()).isEqualTo(event.path("routeKey").asString()));
            var response = function.invoke(eventFile(name));
            assertThat(response.status()).as(name + " " + response.body()).isEqualTo(EXPECTED_STATUS.get(name));
            assertThat(response.header("cache-control")).as(name).isEqualTo("no-store");
            assertThat(response.body()).as(name + " never echoes a key").doesNotContain("lk_");
            responses.put(name, response);
        }
        responses.forEach((name, response) -> {
            if (response.status() == 401) {
                assertThat(response.errorCode()).as(name).isEqualTo("AUTHENTICATION_FAILED");
                assertThat(response.header("www-authenticate")).as(name).isEqualTo("Bearer");
            }
        });
        var inQuery = responses.get("list-key-in-query.json").bodyJson().path("error");
        assertThat(inQuery.path("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(inQuery.path("details").path("reason").asString()).isEqualTo("CREDENTIAL_IN_QUERY");

        String unknownKey = Json.mapper().readTree(Json.mapper().readTree(eventFile("verify-unknown-key.json"))
                .path("body").asString()).path("key").asString();
        assertThat(ApiKeyToken.parse(unknownKey)).as("well-formed, so the answer comes from the table").isPresent();
        assertThat(responses.get("verify-unknown-key.json").bodyJson())
                .isEqualTo(Json.mapper().readTree("{\"valid\":false,\"code\":\"NOT_FOUND\"}"));

        assertThat(responses.get("verify-malformed.json").errorCode()).isEqualTo("VALIDATION_ERROR");
        var missing = responses.get("verify-missing-key.json").bodyJson().path("error");
        assertThat(missing.path("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(missing.path("details").path("field").asString()).isEqualTo("key");
    }

    @Test
    void routePermissionsAreApiMdsTable() {
        assertThat(ApiKeysEndpoints.PERMISSIONS).isEqualTo(Map.ofEntries(
                Map.entry("PATCH /v1/orgs/{orgId}/api-keys/{keyId}", "api_key:create"),
                Map.entry("GET /v1/orgs/{orgId}/api-keys/analytics", "api_key:read"),
                Map.entry("GET /v1/orgs/{orgId}/api-keys/{keyId}/analytics", "api_key:read"),
                Map.entry("POST /v1/orgs/{orgId}/api-keys", "api_key:create"),
                Map.entry("GET /v1/orgs/{orgId}/api-keys", "api_key:read"),
                Map.entry("GET /v1/orgs/{orgId}/api-keys/stats", "api_key:read"),
                Map.entry("GET /v1/orgs/{orgId}/api-keys/{keyId}", "api_key:read"),
                Map.entry("POST /v1/orgs/{orgId}/api-keys/{keyId}/revoke", "api_key:revoke"),
                Map.entry("POST /v1/orgs/{orgId}/api-keys/{keyId}/roll", "api_key:create"),
                Map.entry("POST /v1/orgs/{orgId}/api-keys/{keyId}/credits", "api_key:create"),
                Map.entry("DELETE /v1/orgs/{orgId}/api-keys/{keyId}", "api_key:delete")));
    }

    @Test
    void routerServesExactlyTheCatalogRoutes() {
        assertThat(ApiKeysEndpoints.ROUTES).containsExactlyInAnyOrderElementsOf(ApiCatalog.function("api-keys")
                .routes().stream().map(r -> r.key()).toList());
        assertThat(ApiKeysEndpoints.PERMISSIONS.keySet()).as("every organization route has its permission")
                .containsExactlyInAnyOrderElementsOf(ApiKeysEndpoints.ROUTES.stream()
                        .filter(r -> !r.equals(ApiKeysEndpoints.VERIFY)).toList());
        assertThat(ApiKeysEndpoints.PERMISSIONS.values()).allSatisfy(p -> assertThat(Permissions.isLatchkey(p))
                .isTrue());
    }

    // ------------------------------------------------------------------ the life of a key

    @Test
    @DisplayName("create → verify → list/show/stats (no secret) → revoke → REVOKED at once → roll with grace "
            + "→ delete → NOT_FOUND")
    void aKeyThroughItsWholeLifeThroughFunctionInvoker() {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        List<String> secrets = new ArrayList<>();
        Person owner = accounts.person("life.owner@example.com", false);
        String org = owner.personalOrganizationId();
        try {
            var created = create(owner.bearer(), org, Map.of("name", " inference service ",
                    "permissions", List.of("run_inference", "read_models", "read_models"),
                    "description", "Batch jobs", "expires_in_days", 30,
                    "rate_limit", Map.of("limit", 100, "window_seconds", 60)));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.header("cache-control")).isEqualTo("no-store");
            JsonNode body = created.bodyJson();
            assertThat(body.propertyNames()).containsExactly("id", "key", "name", "description", "permissions",
                    "organization_id", "created_at", "created_by", "expires_at", "rate_limit", "rate_limits",
                    "credits", "allowed_ips", "external_id", "meta");
            String keyId = body.path("id").asString();
            String key = body.path("key").asString();
            secrets.add(key);
            assertThat(ApiKeyToken.parse(key)).hasValueSatisfying(t -> assertThat(t.keyId()).isEqualTo(keyId));
            assertThat(body.path("name").asString()).isEqualTo("inference service");
            assertThat(body.path("permissions")).isEqualTo(Json.mapper().valueToTree(List.of("read_models",
                    "run_inference")));
            assertThat(body.path("organization_id").asString()).isEqualTo(org);
            assertThat(body.path("created_by").asString()).isEqualTo(owner.userId());
            assertThat(Duration.between(Instant.parse(body.path("created_at").asString()),
                    Instant.parse(body.path("expires_at").asString()))).isEqualTo(Duration.ofDays(30));
            assertThat(body.path("rate_limit")).isEqualTo(Json.mapper().readTree(
                    "{\"limit\":100,\"window_seconds\":60}"));

            var valid = verify(key, null);
            assertThat(valid.status()).isEqualTo(200);
            JsonNode answer = valid.bodyJson();
            assertThat(answer.propertyNames()).containsExactly("valid", "key_id", "org_id", "name", "permissions",
                    "expires_at", "rate_limit", "credits_remaining", "external_id", "meta");
            assertThat(answer.path("valid").asBoolean()).isTrue();
            assertThat(answer.path("key_id").asString()).isEqualTo(keyId);
            assertThat(answer.path("org_id").asString()).isEqualTo(org);
            assertThat(answer.path("rate_limit").path("limit").asInt()).isEqualTo(100);
            assertThat(answer.path("rate_limit").path("remaining").asInt()).isEqualTo(99);
            assertThat(answer.path("rate_limit").path("reset").asLong())
                    .isEqualTo(Long.parseLong(valid.header("x-ratelimit-reset")));
            assertThat(valid.header("ratelimit-limit")).isEqualTo("100");
            assertThat(valid.header("ratelimit-remaining")).isEqualTo("99");
            assertThat(valid.header("x-ratelimit-remaining")).isEqualTo("99");
            assertThat(valid.header("retry-after")).isNull();
            assertThat(valid.body()).doesNotContain(key);
            var denied = verify(key, "delete_models");
            assertThat(denied.bodyJson()).isEqualTo(Json.mapper().readTree(
                    "{\"valid\":false,\"code\":\"PERMISSION_DENIED\"}"));
            assertThat(verify(key, "run_inference").bodyJson().path("valid").asBoolean()).isTrue();
            assertThat(verify(key, "Not A Permission").status()).isEqualTo(400);

            var second = createKey(owner.bearer(), org, List.of("read_models"));
            secrets.add(second[1]);
            var listed = call("GET", base(org), "", owner.bearer(), null);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.bodyJson().propertyNames()).containsExactly("api_keys", "next_cursor");
            assertThat(listed.bodyJson().path("api_keys").valueStream().map(k -> k.path("id").asString()))
                    .containsExactly(second[0], keyId);
            JsonNode item = listed.bodyJson().path("api_keys").get(1);
            assertThat(item.propertyNames()).containsExactly("id", "name", "description", "permissions",
                    "organization_id", "state", "created_at", "created_by", "expires_at", "last_used_at", "use_count",
                    "revoked_at", "revoked_by", "revoke_reason", "rate_limit", "rate_limits", "credits",
                    "allowed_ips", "external_id", "meta");
            assertThat(item.path("state").asString()).isEqualTo("active");
            assertThat(item.path("use_count").asLong()).as("the first use is written at once").isEqualTo(1);
            assertThat(item.path("last_used_at").isString()).isTrue();
            var page = call("GET", base(org), "limit=1", owner.bearer(), null).bodyJson();
            assertThat(page.path("api_keys")).hasSize(1);
            var next = call("GET", base(org), "limit=1&cursor=" + page.path("next_cursor").asString(),
                    owner.bearer(), null).bodyJson();
            assertThat(next.path("api_keys").get(0).path("id").asString()).isEqualTo(keyId);
            assertThat(call("GET", base(org), "permission=run_inference", owner.bearer(), null).bodyJson()
                    .path("api_keys").valueStream().map(k -> k.path("id").asString())).containsExactly(keyId);

            var shown = call("GET", base(org) + "/" + keyId, "", owner.bearer(), null);
            assertThat(shown.status()).isEqualTo(200);
            assertThat(shown.bodyJson().path("description").asString()).isEqualTo("Batch jobs");
            var stats = call("GET", base(org) + "/stats", "", owner.bearer(), null);
            assertThat(stats.status()).isEqualTo(200);
            assertThat(stats.bodyJson()).isEqualTo(Json.mapper().readTree("{\"total\":2,\"by_state\":{\"active\":2,"
                    + "\"expired\":0,\"revoked\":0},\"by_permission\":{\"read_models\":2,\"run_inference\":1},"
                    + "\"total_uses\":1,\"last_used_at\":\"" + item.path("last_used_at").asString()
                    + "\",\"truncated\":false}"));
            assertNoSecretIn(List.of(listed, shown, stats, page.toString(), next.toString()), List.of(key, second[1]),
                    List.of(keyId, second[0]));

            var revoked = call("POST", base(org) + "/" + keyId + "/revoke", "", owner.bearer(),
                    Map.of("reason", "rotated out"));
            assertThat(revoked.status()).isEqualTo(200);
            assertThat(revoked.bodyJson().path("state").asString()).isEqualTo("revoked");
            assertThat(revoked.bodyJson().path("revoked_by").asString()).isEqualTo(owner.userId());
            assertThat(revoked.bodyJson().path("revoke_reason").asString()).isEqualTo("rotated out");
            assertThat(verify(key, null).bodyJson()).as("revocation counts on the very next verify")
                    .isEqualTo(Json.mapper().readTree("{\"valid\":false,\"code\":\"REVOKED\"}"));
            assertThat(call("GET", base(org), "include_revoked=false", owner.bearer(), null).bodyJson()
                    .path("api_keys").valueStream().map(k -> k.path("id").asString())).containsExactly(second[0]);
            assertThat(call("GET", base(org), "include_revoked=true", owner.bearer(), null).bodyJson()
                    .path("api_keys")).hasSize(2);
            assertThat(call("POST", base(org) + "/" + keyId + "/roll", "", owner.bearer(), null).status())
                    .as("a revoked key cannot be rolled").isEqualTo(409);

            var rolled = call("POST", base(org) + "/" + second[0] + "/roll", "", owner.bearer(),
                    Map.of("previous_expires_in_seconds", 300));
            assertThat(rolled.status()).as(rolled.body()).isEqualTo(201);
            assertThat(rolled.header("cache-control")).isEqualTo("no-store");
            String rolledKey = rolled.bodyJson().path("key").asString();
            secrets.add(rolledKey);
            assertThat(rolled.bodyJson().path("id").asString()).isEqualTo(second[0]);
            assertThat(rolledKey).isNotEqualTo(second[1]);
            assertThat(Instant.parse(rolled.bodyJson().path("previous_expires_at").asString()))
                    .isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
            assertThat(verify(second[1], null).bodyJson().path("valid").asBoolean()).as("old secret in its grace")
                    .isTrue();
            assertThat(verify(rolledKey, null).bodyJson().path("valid").asBoolean()).isTrue();
            var again = call("POST", base(org) + "/" + second[0] + "/roll", "", owner.bearer(), null);
            assertThat(again.status()).isEqualTo(201);
            assertThat(again.bodyJson().path("previous_expires_at").isNull()).isTrue();
            String newest = again.bodyJson().path("key").asString();
            secrets.add(newest);
            assertThat(verify(second[1], null).bodyJson().path("code").asString()).isEqualTo("NOT_FOUND");
            assertThat(verify(rolledKey, null).bodyJson().path("code").asString()).as("grace 0 ends it at once")
                    .isEqualTo("NOT_FOUND");
            assertThat(verify(newest, null).bodyJson().path("valid").asBoolean()).isTrue();

            var deleted = call("DELETE", base(org) + "/" + second[0], "", owner.bearer(), null);
            assertThat(deleted.status()).isEqualTo(204);
            assertThat(deleted.body()).isEmpty();
            assertThat(verify(newest, null).bodyJson().path("code").asString()).isEqualTo("NOT_FOUND");
            assertThat(call("GET", base(org) + "/" + second[0], "", owner.bearer(), null).status())
                    .isEqualTo(404);
            assertThat(call("DELETE", base(org) + "/" + second[0], "", owner.bearer(), null).status())
                    .isEqualTo(404);
        } finally {
            root.detachAppender(appender);
        }
        List<String> actions = function.auditLog().find(org, AuditQuery.builder().limit(100).build()).events().stream()
                .map(AuditEvent::action).toList();
        assertThat(actions).contains("api_key.created", "api_key.revoked", "api_key.rolled", "api_key.deleted");
        assertThat(appender.list).as("request lines are written").isNotEmpty();
        List<String> lines = appender.list.stream().map(e -> e.getFormattedMessage() + " " + e.getThrowableProxy())
                .toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(secrets).doesNotContain("lk_"));
    }

    /** No key, nothing shaped like one, and none of the stored hashes in any encoding. */
    private static void assertNoSecretIn(List<Object> bodies, List<String> secrets, List<String> keyIds) {
        List<String> forbidden = new ArrayList<>(secrets);
        forbidden.add("lk_");
        for (String keyId : keyIds) {
            byte[] hash = keys.find(keyId).orElseThrow().secrets().current();
            forbidden.add(Base64.getEncoder().encodeToString(hash));
            forbidden.add(Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
            forbidden.add(HexFormat.of().formatHex(hash));
        }
        for (String secret : secrets) {
            byte[] hash = hasher.hash(ApiKeyToken.parse(secret).orElseThrow());
            assertThat(HexFormat.of().formatHex(hash)).as("the stored hash is the key's")
                    .isIn(forbidden);
        }
        for (Object body : bodies) {
            String text = body instanceof LambdaHarness.Response r ? r.body() : body.toString();
            assertThat(text).doesNotContain(forbidden);
            List<String> names = new ArrayList<>();
            propertyNames(Json.mapper().readTree(text), names);
            assertThat(names).isNotEmpty().noneMatch(name -> name.equals("key") || name.contains("hash")
                    || name.contains("secret") || name.contains("pepper"));
        }
    }

    private static void propertyNames(JsonNode node, List<String> names) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                names.add(e.getKey().toLowerCase(Locale.ROOT));
                propertyNames(e.getValue(), names);
            });
        } else if (node.isArray()) {
            node.forEach(element -> propertyNames(element, names));
        }
    }

    @Test
    void requestsWhenMalformedThenValidationErrorsNamingTheField() {
        Person owner = accounts.person("strict.owner@example.com", false);
        String org = owner.personalOrganizationId();
        Map<String, String> badQueries = Map.of(
                "include_revoked=yes", "include_revoked",
                "limit=abc", "limit",
                "limit=0", "limit",
                "limit=101", "limit",
                "limit=1&limit=2", "limit",
                "permission=Bad%20Permission", "permission",
                "cursor=not-a-cursor", "cursor",
                "sort=name", "sort");
        badQueries.forEach((query, field) -> {
            var response = call("GET", base(org), query, owner.bearer(), null);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.errorCode()).as(query).isEqualTo("VALIDATION_ERROR");
            assertThat(response.errorField()).as(query)
                    .isEqualTo(field);
        });
        String x = "{\"name\":\"x\",\"permissions\":[],";
        Map<String, String> badBodies = Map.ofEntries(
                Map.entry(x + "\"owner\":\"me\"}", "owner"),
                Map.entry(x + "\"org_id\":\"org_01JD3ZK8W6Q4V8S2M9N7T5R3P1\"}", "org_id"),
                Map.entry(x + "\"organization_id\":\"org_01JD3ZK8W6Q4V8S2M9N7T5R3P1\"}", "organization_id"),
                Map.entry(x + "\"created_by\":\"usr_01JD3ZK8W6Q4V8S2M9N7T5R3P1\"}", "created_by"),
                Map.entry(x + "\"use_count\":0}", "use_count"),
                Map.entry("{\"permissions\":[]}", "name"),
                Map.entry("{\"name\":\"x\"}", "permissions"),
                Map.entry("{\"name\":\"x\",\"permissions\":[\"Read Models\"]}", "permissions[0]"),
                Map.entry(x + "\"expires_in_days\":0}", "expires_in_days"),
                Map.entry(x + "\"expires_in_days\":\"7\"}", "expires_in_days"),
                Map.entry(x + "\"expires_in_days\":7.5}", "expires_in_days"),
                Map.entry(x + "\"expires_in_days\":99999999999999999999}", "expires_in_days"),
                Map.entry(x + "\"rate_limit\":{\"limit\":10}}", "rate_limit"),
                Map.entry(x + "\"rate_limit\":{\"limit\":0,\"window_seconds\":60}}", "rate_limit"),
                Map.entry(x + "\"rate_limit\":{\"limit\":1e3,\"window_seconds\":60}}", "rate_limit.limit"));
        badBodies.forEach((body, field) -> {
            var response = create(owner.bearer(), org, body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.errorField()).as(body)
                    .isEqualTo(field);
        });
        var malformed = create(owner.bearer(), org, "{\"name\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("VALIDATION_ERROR");
        String[] key = createKey(owner.bearer(), org, List.of());
        assertThat(call("POST", base(org) + "/" + key[0] + "/roll", "", owner.bearer(),
                Map.of("previous_expires_in_seconds", -1)).status()).isEqualTo(400);
        var fraction = call("POST", base(org) + "/" + key[0] + "/roll", "", owner.bearer(),
                "{\"previous_expires_in_seconds\": 1.5}");
        assertThat(fraction.status()).isEqualTo(400);
        assertThat(fraction.errorField())
                .isEqualTo("previous_expires_in_seconds");
        assertThat(call("POST", base(org) + "/" + key[0] + "/revoke", "", owner.bearer(),
                Map.of("why", "x")).status()).isEqualTo(400);
        assertThat(call("POST", base(org) + "/" + key[0] + "/revoke", "", owner.bearer(), null).status())
                .as("an empty body is allowed").isEqualTo(200);
        assertThat(call("GET", base(org) + "/key_nope", "", owner.bearer(), null).status()).isEqualTo(404);
        assertThat(call("GET", base(org) + "/" + key[0], "", HttpEvents.bearer("not-a-token"), null)
                .header("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        var both = function.invoke(HttpEvents.event("GET", base(org), "", owner.bearer(), null).replace(
                "\"headers\":{", "\"headers\":{\"x-api-key\":\"" + key[1] + "\","));
        assertThat(both.status()).as("two credentials").isEqualTo(400);
        assertThat(call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", 42)).status()).isEqualTo(400);
        assertThat(call("POST", "/v1/api-keys/verify", "key=" + key[1], Map.of(), Map.of("key", key[1])).status())
                .isEqualTo(400);
    }

    @Test
    @DisplayName("a metered key: create with credits and refill, verify spends (cost, cost 0), USAGE_EXCEEDED at "
            + "zero, add/set/unlimited through the credits route, each audited; a read shows them")
    void meteredKeyWhenCreditsSpentThenUsageExceededAndManagementChangesThem() {
        Person owner = accounts.person("metered.owner@example.com", false);
        String org = owner.personalOrganizationId();
        var created = create(owner.bearer(), org, Map.of("name", "metered", "permissions", List.of(),
                "credits", Map.of("remaining", 3, "refill", Map.of("interval", "monthly", "amount", 1000,
                        "day_of_month", 15))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode credits = created.bodyJson().path("credits");
        assertThat(credits.path("remaining").asLong()).isEqualTo(3);
        assertThat(credits.path("refill")).isEqualTo(Json.mapper().readTree(
                "{\"interval\":\"monthly\",\"amount\":1000,\"day_of_month\":15}"));
        assertThat(credits.path("next_refill_at").asString()).endsWith("-15T00:00:00Z");
        String keyId = created.bodyJson().path("id").asString();
        String key = created.bodyJson().path("key").asString();

        var first = call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key, "cost", 2));
        assertThat(first.bodyJson().path("valid").asBoolean()).isTrue();
        assertThat(first.bodyJson().path("credits_remaining").asLong()).isEqualTo(1);
        var check = call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key, "cost", 0));
        assertThat(check.bodyJson().path("credits_remaining").asLong()).isEqualTo(1);
        assertThat(verify(key, null).bodyJson().path("credits_remaining").asLong()).isZero();
        assertThat(verify(key, null).bodyJson()).isEqualTo(Json.mapper().readTree(
                "{\"valid\":false,\"code\":\"USAGE_EXCEEDED\",\"credits_remaining\":0}"));
        assertThat(call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key, "cost", 1.5)).status())
                .isEqualTo(400);
        assertThat(call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key, "cost", -1)).status())
                .isEqualTo(400);

        var added = call("POST", base(org) + "/" + keyId + "/credits", "", owner.bearer(),
                Map.of("operation", "add", "amount", 5));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.bodyJson().path("credits").path("remaining").asLong()).isEqualTo(5);
        assertThat(verify(key, null).bodyJson().path("credits_remaining").asLong()).isEqualTo(4);
        var set = call("POST", base(org) + "/" + keyId + "/credits", "", owner.bearer(),
                Map.of("operation", "set", "remaining", 1));
        assertThat(set.bodyJson().path("credits").path("refill").isNull()).as("set replaces the refill too")
                .isTrue();
        assertThat(call("GET", base(org) + "/" + keyId, "", owner.bearer(), null).bodyJson().path("credits")
                .path("remaining").asLong()).isEqualTo(1);
        var unlimited = call("POST", base(org) + "/" + keyId + "/credits", "", owner.bearer(),
                Map.of("operation", "unlimited"));
        assertThat(unlimited.bodyJson().path("credits").isNull()).isTrue();
        var answer = verify(key, null).bodyJson();
        assertThat(answer.path("valid").asBoolean()).isTrue();
        assertThat(answer.path("credits_remaining").isNull()).isTrue();
        assertThat(call("POST", base(org) + "/" + keyId + "/credits", "", owner.bearer(),
                Map.of("operation", "add", "amount", 5)).status()).as("nothing to add to").isEqualTo(409);
        var bad = call("POST", base(org) + "/" + keyId + "/credits", "", owner.bearer(),
                Map.of("operation", "set", "remaining", 1, "refill", Map.of("interval", "weekly", "amount", 1)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.bodyJson().path("error").path("details").path("field").asString())
                .isEqualTo("credits.refill.interval");

        List<String> operations = function.auditLog().find(org, AuditQuery.builder().limit(100).build()).events()
                .stream().filter(e -> e.action().equals("api_key.credits_changed"))
                .map(e -> e.details().get("operation")).toList();
        assertThat(operations).containsExactlyInAnyOrder("add", "set", "unlimited");
    }

    @Test
    @DisplayName("named rate limits: rate_limit is 'default'; a verify names the limit to apply and its cost, with "
            + "that limit's headers; an unknown name is a 400 only for a holder of the key")
    void namedRateLimitsWhenVerifyNamesOneThenOnlyThatOneCountsWithItsCost() {
        Person owner = accounts.person("named.owner@example.com", false);
        String org = owner.personalOrganizationId();
        var created = create(owner.bearer(), org, Map.of("name", "llm", "permissions", List.of(),
                "rate_limit", Map.of("limit", 100, "window_seconds", 60),
                "rate_limits", List.of(Map.of("name", "tokens", "limit", 1000, "window_seconds", 3600))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.bodyJson().path("rate_limits")).isEqualTo(Json.mapper().readTree(
                "[{\"name\":\"default\",\"limit\":100,\"window_seconds\":60},"
                        + "{\"name\":\"tokens\",\"limit\":1000,\"window_seconds\":3600}]"));
        String key = created.bodyJson().path("key").asString();

        var tokens = call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key,
                "rate_limit", Map.of("name", "tokens", "cost", 600)));
        assertThat(tokens.bodyJson().path("valid").asBoolean()).isTrue();
        assertThat(tokens.header("ratelimit-limit")).isEqualTo("1000");
        assertThat(tokens.header("ratelimit-remaining")).isEqualTo("400");
        var over = call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key,
                "rate_limit", Map.of("name", "tokens", "cost", 401)));
        assertThat(over.bodyJson().path("code").asString()).isEqualTo("RATE_LIMITED");
        assertThat(over.header("retry-after")).isNotNull();
        var plain = verify(key, null);
        assertThat(plain.bodyJson().path("valid").asBoolean()).as("the default limit is its own budget").isTrue();
        assertThat(plain.header("ratelimit-limit")).isEqualTo("100");
        assertThat(plain.header("ratelimit-remaining")).isEqualTo("99");
        var unknown = call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key,
                "rate_limit", Map.of("name", "images")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.bodyJson().path("error").path("details").path("field").asString())
                .isEqualTo("rate_limit.name");
        assertThat(call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key.substring(0, 20)
                + "x" + key.substring(21), "rate_limit", Map.of("name", "images"))).bodyJson().path("code")
                .asString()).as("no key, no hint about its limits").isEqualTo("NOT_FOUND");
        assertThat(create(owner.bearer(), org, Map.of("name", "both", "permissions", List.of(),
                "rate_limit", Map.of("limit", 1, "window_seconds", 60),
                "rate_limits", List.of(Map.of("name", "default", "limit", 2, "window_seconds", 60)))).status())
                .isEqualTo(400);
    }

    @Test
    @DisplayName("IP allow-list, external id and meta: verify from outside is IP_NOT_ALLOWED (audited), inside "
            + "answers external_id and meta; keys list by external id; the key itself works only from inside")
    void ownerDataWhenAllowListExternalIdAndMetaThenEnforcedAnsweredAndListed() {
        Person owner = accounts.person("owner.data@example.com", false);
        String org = owner.personalOrganizationId();
        var created = create(owner.bearer(), org, Map.of("name", "tenant key",
                "permissions", List.of(Permissions.API_KEY_READ),
                "allowed_ips", List.of("203.0.113.0/24", "2001:db8::/32"), "external_id", "tenant_42",
                "meta", Map.of("plan", "pro", "seats", 5)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.bodyJson().path("allowed_ips")).isEqualTo(Json.mapper().readTree(
                "[\"203.0.113.0/24\",\"2001:db8:0:0:0:0:0:0/32\"]"));
        String keyId = created.bodyJson().path("id").asString();
        String key = created.bodyJson().path("key").asString();
        createKey(owner.bearer(), org, List.of());

        var inside = call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key, "ip", "203.0.113.23"));
        assertThat(inside.bodyJson().path("valid").asBoolean()).isTrue();
        assertThat(inside.bodyJson().path("external_id").asString()).isEqualTo("tenant_42");
        assertThat(inside.bodyJson().path("meta")).isEqualTo(Json.mapper().readTree(
                "{\"plan\":\"pro\",\"seats\":5}"));
        assertThat(call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key, "ip", "192.0.2.1"))
                .bodyJson()).isEqualTo(Json.mapper().readTree("{\"valid\":false,\"code\":\"IP_NOT_ALLOWED\"}"));
        assertThat(verify(key, null).bodyJson().path("code").asString()).as("no address, no use")
                .isEqualTo("IP_NOT_ALLOWED");
        assertThat(call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key, "ip", "intranet"))
                .status()).isEqualTo(400);
        assertThat(call("GET", base(org), "", HttpEvents.apiKey(key), null).status())
                .as("the test events come from " + HttpEvents.SOURCE_IP + ", outside the list").isEqualTo(401);

        var listed = call("GET", base(org), "external_id=tenant_42", owner.bearer(), null);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.bodyJson().path("api_keys").valueStream().map(k -> k.path("id").asString()))
                .containsExactly(keyId);
        assertThat(call("GET", base(org), "external_id=has%20space", owner.bearer(), null).status())
                .isEqualTo(400);
        assertThat(create(owner.bearer(), org, Map.of("name", "bad", "permissions", List.of(),
                "allowed_ips", List.of("intranet"))).status()).isEqualTo(400);
        assertThat(create(owner.bearer(), org, Map.of("name", "bad", "permissions", List.of(),
                "meta", List.of(1, 2))).status()).isEqualTo(400);

        List<AuditEvent> denials = function.auditLog().find(org, AuditQuery.builder().limit(100).build()).events()
                .stream().filter(e -> e.action().equals("api_key.ip_denied")).toList();
        assertThat(denials).hasSizeGreaterThanOrEqualTo(3).allSatisfy(e ->
                assertThat(e.target().map(t -> t.id())).contains(keyId));
    }

    @Test
    void keyWhenOverItsRateLimitThenVerifySaysRateLimitedAndTheManagementApiAnswers429() {
        Person owner = accounts.person("limited.owner@example.com", false);
        String org = owner.personalOrganizationId();
        var created = create(owner.bearer(), org, Map.of("name", "limited", "permissions",
                List.of(Permissions.API_KEY_READ), "rate_limit", Map.of("limit", 2, "window_seconds", 86_400)));
        String key = created.bodyJson().path("key").asString();

        assertThat(verify(key, null).bodyJson().path("valid").asBoolean()).isTrue();
        assertThat(call("GET", base(org), "", HttpEvents.apiKey(key), null).status()).isEqualTo(200);
        var limited = verify(key, null);

        assertThat(limited.status()).isEqualTo(200);
        assertThat(limited.bodyJson()).isEqualTo(Json.mapper().readTree(
                "{\"valid\":false,\"code\":\"RATE_LIMITED\"}"));
        assertThat(limited.header("ratelimit-remaining")).isEqualTo("0");
        assertThat(limited.header("retry-after")).isNotNull();
        var management = call("GET", base(org), "", HttpEvents.apiKey(key), null);
        assertThat(management.status()).isEqualTo(429);
        assertThat(management.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(management.header("retry-after")).isNotNull();
        assertThat(management.header("x-ratelimit-limit")).isEqualTo("2");
    }

    // ------------------------------------------------------------------ endpoint × role matrix

    /** Who calls in the matrix, and what answer the route's permission implies for them. */
    private record Caller(String name, Map<String, String> credential, Expectation expectation) {
    }

    @FunctionalInterface
    private interface Expectation {
        /** 2xx (0 = the route's success status), 403 or 404 for a route's permission. */
        int status(String permission);
    }

    @Test
    @DisplayName("verification analytics through FunctionInvoker: a key's days and the organization's by outcome, "
            + "zeros included; an outcome filter; another organization's key is 404; a bad range is 400")
    void analyticsWhenKeyVerifiedThenDailyCountsByOutcomeForKeyAndOrganization() {
        Person owner = accounts.person("analytics.owner@example.com", false);
        String org = owner.personalOrganizationId();
        String[] key = createKey(owner.bearer(), org, List.of("read"));
        for (int i = 0; i < 3; i++) {
            assertThat(verify(key[1], "read").bodyJson().path("valid").asBoolean()).isTrue();
        }
        assertThat(verify(key[1], "write").bodyJson().path("code").asString()).isEqualTo("PERMISSION_DENIED");
        verify(key[1].substring(0, 30) + "x" + key[1].substring(31), null);

        var perKey = call("GET", base(org) + "/" + key[0] + "/analytics", "", owner.bearer(), null);
        var valid = call("GET", base(org) + "/analytics", "outcome=valid", owner.bearer(), null);

        assertThat(perKey.status()).as(perKey.body()).isEqualTo(200);
        JsonNode report = perKey.bodyJson();
        assertThat(report.path("key_id").asString()).isEqualTo(key[0]);
        assertThat(report.path("days").size()).isEqualTo(30);
        JsonNode today = report.path("days").get(29);
        assertThat(today.path("date").asString()).isEqualTo(report.path("to").asString());
        assertThat(today.path("valid").asLong()).isEqualTo(3);
        assertThat(today.path("permission_denied").asLong()).isEqualTo(1);
        assertThat(today.path("total").asLong()).isEqualTo(4);
        assertThat(report.path("days").get(0).path("total").asLong()).isZero();
        assertThat(report.path("totals").path("valid").asLong()).isEqualTo(3);
        assertThat(valid.status()).as(valid.body()).isEqualTo(200);
        assertThat(valid.bodyJson().path("totals").propertyNames()).containsExactly("valid", "total");
        assertThat(valid.bodyJson().path("totals").path("total").asLong()).isEqualTo(3);

        Person stranger = accounts.person("analytics.stranger@example.com", false);
        assertThat(call("GET", base(stranger.personalOrganizationId()) + "/" + key[0] + "/analytics", "",
                stranger.bearer(), null).status()).isEqualTo(404);
        assertThat(call("GET", base(org) + "/analytics", "from=2020-01-01", owner.bearer(), null).errorCode())
                .isEqualTo("VALIDATION_ERROR");
        assertThat(call("GET", base(org) + "/analytics", "outcome=not_found", owner.bearer(), null).status())
                .isEqualTo(400);
        assertThat(call("GET", base(org) + "/analytics", "limit=5", owner.bearer(), null).status()).isEqualTo(400);
    }

    @Test
    @DisplayName("PATCH a key through FunctionInvoker: external_id moves (listed under the new id only), meta, named "
            + "limits and allow-list change and count on the next verify; null removes; audited; bad bodies are 400")
    void updateWhenSettingsChangeThenVerifyAndListFollowAndTheChangeIsAudited() {
        Person owner = accounts.person("update.owner@example.com", false);
        String org = owner.personalOrganizationId();
        var created = create(owner.bearer(), org, Map.of("name", "tenant", "permissions", List.of(),
                "external_id", "tenant_a", "meta", Map.of("plan", "free")));
        String keyId = created.bodyJson().path("id").asString();
        String key = created.bodyJson().path("key").asString();

        var updated = call("PATCH", base(org) + "/" + keyId, "", owner.bearer(), Map.of("external_id", "tenant_b",
                "meta", Map.of("plan", "pro"), "rate_limits", List.of(Map.of("name", "tokens", "limit", 100,
                        "window_seconds", 60)), "allowed_ips", List.of("203.0.113.0/24")));

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.bodyJson().path("external_id").asString()).isEqualTo("tenant_b");
        assertThat(updated.bodyJson().path("rate_limits").get(0).path("name").asString()).isEqualTo("tokens");
        assertThat(call("GET", base(org), "external_id=tenant_a", owner.bearer(), null).bodyJson().path("api_keys")
                .size()).isZero();
        assertThat(call("GET", base(org), "external_id=tenant_b", owner.bearer(), null).bodyJson().path("api_keys")
                .get(0).path("id").asString()).isEqualTo(keyId);
        var outside = call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key, "ip", "198.51.100.1"));
        assertThat(outside.bodyJson().path("code").asString()).isEqualTo("IP_NOT_ALLOWED");
        var inside = call("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key, "ip", "203.0.113.5",
                "rate_limit", Map.of("name", "tokens", "cost", 40)));
        assertThat(inside.bodyJson().path("meta").path("plan").asString()).isEqualTo("pro");
        assertThat(inside.bodyJson().path("rate_limit").path("remaining").asInt()).isEqualTo(60);

        Map<String, Object> removals = new LinkedHashMap<>();
        removals.put("external_id", null);
        removals.put("allowed_ips", null);
        var cleared = call("PATCH", base(org) + "/" + keyId, "", owner.bearer(), removals);
        assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
        assertThat(cleared.bodyJson().path("external_id").isNull()).isTrue();
        assertThat(cleared.bodyJson().path("allowed_ips").size()).isZero();
        assertThat(cleared.bodyJson().path("meta").path("plan").asString()).isEqualTo("pro");
        assertThat(call("GET", base(org), "external_id=tenant_b", owner.bearer(), null).bodyJson().path("api_keys")
                .size()).isZero();

        assertThat(function.auditLog().find(org, AuditQuery.builder().limit(100).build()).events().stream()
                .filter(e -> e.action().equals("api_key.updated")).map(e -> e.details().get("fields")))
                .containsExactlyInAnyOrder("external_id,meta,rate_limits,allowed_ips", "external_id,allowed_ips");
        assertThat(call("PATCH", base(org) + "/" + keyId, "", owner.bearer(), Map.of()).status()).isEqualTo(400);
        assertThat(call("PATCH", base(org) + "/" + keyId, "", owner.bearer(), Map.of("name", "x")).status())
                .isEqualTo(400);
        assertThat(call("PATCH", base(org) + "/" + keyId, "", owner.bearer(), Map.of("meta",
                Map.of("blob", "a".repeat(5000)))).bodyJson().path("error").path("details").path("field")
                .asString()).isEqualTo("meta");
    }

    @Test
    @DisplayName("[8.2] every api-keys route × owner, admin, member, viewer, keys with and without its permission, "
            + "other organization: 2xx, 403 or 404 as Role and the route table say")
    void everyRouteAndCallerAnswersWhatTheRoleAndRouteTableSay() {
        Person owner = accounts.person("matrix.owner@example.com", false);
        String org = owner.personalOrganizationId();
        Person admin = accounts.person("matrix.admin@example.com", false);
        Person member = accounts.person("matrix.member@example.com", false);
        Person viewer = accounts.person("matrix.viewer@example.com", false);
        Person stranger = accounts.person("matrix.stranger@example.com", false);
        accounts.join(admin, org, Role.ADMIN);
        accounts.join(member, org, Role.MEMBER);
        accounts.join(viewer, org, Role.VIEWER);
        String strangerKey = createKey(stranger.bearer(), stranger.personalOrganizationId(),
                List.copyOf(Set.copyOf(ApiKeysEndpoints.PERMISSIONS.values())))[1];
        String keyWithout = createKey(owner.bearer(), org, List.of("read_models", "run_inference"))[1];
        Map<String, String> keyWith = new LinkedHashMap<>();
        for (String permission : Set.copyOf(ApiKeysEndpoints.PERMISSIONS.values())) {
            keyWith.put(permission, createKey(owner.bearer(), org, List.of(permission))[1]);
        }

        SoftAssertions softly = new SoftAssertions();
        int checked = 0;
        for (Map.Entry<String, String> route : ApiKeysEndpoints.PERMISSIONS.entrySet()) {
            String permission = route.getValue();
            List<Caller> callers = List.of(
                    role("owner", owner, Role.OWNER),
                    role("admin", admin, Role.ADMIN),
                    role("member", member, Role.MEMBER),
                    role("viewer", viewer, Role.VIEWER),
                    new Caller("key with " + permission, HttpEvents.apiKey(keyWith.get(permission)), p -> 0),
                    new Caller("key without it", HttpEvents.apiKey(keyWithout), p -> 403),
                    new Caller("member of another organization", stranger.bearer(), p -> 404),
                    new Caller("key of another organization", HttpEvents.apiKey(strangerKey), p -> 404));
            for (Caller caller : callers) {
                // Targets carry no permission, so that whoever may roll may roll them whatever the granting
                // rule for the organization's own scopes (RollApiKeyTest pins a pending change there). A key rolls
                // only itself and what it made (ApiKeyFamilyTest): its roll target is a key it made.
                // The same for credits and settings: a key changes only the keys it made.
                boolean keyRolls = (route.getKey().equals(ApiKeysEndpoints.ROLL)
                        || route.getKey().equals(ApiKeysEndpoints.CREDITS)
                        || route.getKey().equals(ApiKeysEndpoints.UPDATE))
                        && caller.name().equals("key with " + permission);
                String target = !route.getKey().contains("{keyId}") ? null
                        : createKey(keyRolls ? caller.credential() : owner.bearer(), org, List.of())[0];
                var response = send(route.getKey(), org, target, caller.credential());
                int expected = caller.expectation().status(permission);
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
        assertThat(checked).isEqualTo(ApiKeysEndpoints.PERMISSIONS.size() * 8);
        List<AuditEvent> denials = function.auditLog().find(org, AuditQuery.builder().limit(100).build()).events()
                .stream()
                .filter(e -> e.action().equals("authorization.denied")).toList();
        assertThat(denials).as("every denial in the organization is audited").isNotEmpty();
    }

    private static Caller role(String name, Person person, Role role) {
        return new Caller(name, person.bearer(), permission -> role.permissions().contains(permission) ? 0 : 403);
    }

    /** One valid request of the route (bodies a permitted caller may send). */
    private static LambdaHarness.Response send(String route, String org, String keyId, Map<String, String> credential) {
        String path = base(org) + (keyId == null ? "" : "/" + keyId);
        switch (route) {
            case ApiKeysEndpoints.CREATE:
                return call("POST", path, "", credential, Map.of("name", "matrix", "permissions", List.of()));
            case ApiKeysEndpoints.LIST:
                return call("GET", path, "", credential, null);
            case ApiKeysEndpoints.STATS:
                return call("GET", path + "/stats", "", credential, null);
            case ApiKeysEndpoints.SHOW:
                return call("GET", path, "", credential, null);
            case ApiKeysEndpoints.REVOKE:
                return call("POST", path + "/revoke", "", credential, Map.of("reason", "matrix"));
            case ApiKeysEndpoints.ROLL:
                return call("POST", path + "/roll", "", credential, Map.of("previous_expires_in_seconds", 60));
            case ApiKeysEndpoints.DELETE:
                return call("DELETE", path, "", credential, null);
            case ApiKeysEndpoints.CREDITS:
                return call("POST", path + "/credits", "", credential, Map.of("operation", "set", "remaining", 10));
            case ApiKeysEndpoints.UPDATE:
                return call("PATCH", path, "", credential, Map.of("meta", Map.of("matrix", true)));
            case ApiKeysEndpoints.ANALYTICS:
            case ApiKeysEndpoints.KEY_ANALYTICS:
                return call("GET", path + "/analytics", "", credential, null);
            default:
                throw new IllegalArgumentException(route);
        }
    }
}
