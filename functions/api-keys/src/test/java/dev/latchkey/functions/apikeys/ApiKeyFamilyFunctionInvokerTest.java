package dev.latchkey.functions.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key made by a key lives and dies with its maker (issue 11 §3, docs/api-keys.md "Keys made by keys"), through
 * the real Lambda entry point on the emulated table: a parent made by a person makes a child, the child a grandchild
 * (each with {@code X-API-Key}); revoking the middle key, deleting the parent, rolling, expiry and the shared rate
 * limit, as a service would see them through {@code POST /v1/api-keys/verify}.
 */
class ApiKeyFamilyFunctionInvokerTest {

    private static final List<String> MAKER = List.of("api_key:create", "read_models");

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static Accounts accounts;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(ApiKeysApplication.class.getName(), ApiKeysApplication.FUNCTION, dataDir);
        accounts = function.accounts();
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    /** A key's id and secret. */
    private record Key(String id, String secret) {

        Map<String, String> credential() {
            return Map.of("x-api-key", secret);
        }
    }

    private static LambdaHarness.Response create(Map<String, String> credential, String org, Map<String, Object> body) {
        return function.invoke("POST", "/v1/orgs/" + org + "/api-keys", "", credential, body);
    }

    private static Key make(Map<String, String> credential, String org, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "worker", "permissions", MAKER));
        body.putAll(extra);
        var created = create(credential, org, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Key(created.bodyJson().path("id").asString(), created.bodyJson().path("key").asString());
    }

    /** Parent (made by the owner), child (by the parent), grandchild (by the child). */
    private static List<Key> family(Person owner, Map<String, Object> parentExtra) {
        String org = owner.personalOrganizationId();
        Key parent = make(owner.bearer(), org, parentExtra);
        Key child = make(parent.credential(), org, Map.of());
        Key grandchild = make(child.credential(), org, Map.of());
        return List.of(parent, child, grandchild);
    }

    private static String verify(Key key) {
        var verified = function.invoke("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key.secret()));
        assertThat(verified.status()).isEqualTo(200);
        return verified.bodyJson().path("valid").asBoolean() ? "VALID" : verified.bodyJson().path("code").asString();
    }

    private static LambdaHarness.Response show(Person owner, Key key) {
        return function.invoke("GET", "/v1/orgs/" + owner.personalOrganizationId() + "/api-keys/" + key.id(), "",
                owner.bearer(), null);
    }

    @Test
    void revokeWhenTheMiddleKeyThenItAndTheGrandchildFailAndTheParentWorksWithOneEventPerKey() {
        Person owner = accounts.person("family-revoke@example.com", true);
        List<Key> family = family(owner, Map.of());
        String org = owner.personalOrganizationId();
        assertThat(family).extracting(ApiKeyFamilyFunctionInvokerTest::verify).containsOnly("VALID");

        var revoked = function.invoke("POST", "/v1/orgs/" + org + "/api-keys/" + family.get(1).id() + "/revoke", "",
                owner.bearer(), Map.of("reason", "leaked"));

        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(family).extracting(ApiKeyFamilyFunctionInvokerTest::verify)
                .containsExactly("VALID", "REVOKED", "REVOKED");
        var grandchild = show(owner, family.get(2)).bodyJson();
        assertThat(grandchild.path("state").asString()).isEqualTo("revoked");
        assertThat(grandchild.path("revoked_by").asString()).isEqualTo(owner.userId());
        assertThat(grandchild.path("revoke_reason").asString()).contains(family.get(1).id());
        var refused = create(family.get(2).credential(), org, Map.of("name", "x", "permissions", List.of()));
        assertThat(refused.status()).isEqualTo(401);

        List<AuditEvent> events = function.auditEvents(org).stream()
                .filter(e -> e.action().equals("api_key.revoked")).toList();
        assertThat(events).hasSize(2);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.target().orElseThrow().id()).isEqualTo(family.get(2).id());
            assertThat(e.details()).containsEntry("cascaded_from", family.get(1).id());
        });
        assertThat(events).anySatisfy(e -> assertThat(e.details()).containsEntry("descendants_revoked", "1"));
    }

    @Test
    void deleteWhenTheParentThenGoneAndTheFamilyRevoked() {
        Person owner = accounts.person("family-delete@example.com", true);
        List<Key> family = family(owner, Map.of());

        var deleted = function.invoke("DELETE", "/v1/orgs/" + owner.personalOrganizationId() + "/api-keys/"
                + family.get(0).id(), "", owner.bearer(), null);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(family).extracting(ApiKeyFamilyFunctionInvokerTest::verify)
                .containsExactly("NOT_FOUND", "REVOKED", "REVOKED");
    }

    @Test
    void rollWhenTheMiddleKeyIsRolledThenTheGrandchildKeepsWorking() {
        Person owner = accounts.person("family-roll@example.com", true);
        List<Key> family = family(owner, Map.of());

        var rolled = function.invoke("POST", "/v1/orgs/" + owner.personalOrganizationId() + "/api-keys/"
                + family.get(1).id() + "/roll", "", owner.bearer(), Map.of());

        assertThat(rolled.status()).as(rolled.body()).isEqualTo(201);
        Key newChild = new Key(family.get(1).id(), rolled.bodyJson().path("key").asString());
        assertThat(verify(newChild)).isEqualTo("VALID");
        assertThat(family).extracting(ApiKeyFamilyFunctionInvokerTest::verify)
                .containsExactly("VALID", "NOT_FOUND", "VALID");
    }

    @Test
    void expiryAndRateLimitWhenTheParentHasThemThenTheFamilyNeverOutlivesOrOutspendsIt() {
        Person owner = accounts.person("family-limits@example.com", true);
        List<Key> family = family(owner, Map.of("expires_in_days", 1,
                "rate_limit", Map.of("limit", 4, "window_seconds", 86400)));
        var parent = show(owner, family.get(0)).bodyJson();
        for (Key key : family.subList(1, 3)) {
            var shown = show(owner, key).bodyJson();
            assertThat(Instant.parse(shown.path("expires_at").asString()))
                    .isEqualTo(Instant.parse(parent.path("expires_at").asString()));
            assertThat(shown.path("rate_limit").path("limit").asInt()).isEqualTo(4);
        }

        // One budget of 4 for the family: the parent's create of the child and the child's create of the grandchild
        // took 2, so two verifies are left — whichever member asks.
        assertThat(verify(family.get(2))).isEqualTo("VALID");
        assertThat(verify(family.get(1))).isEqualTo("VALID");
        assertThat(verify(family.get(0))).isEqualTo("RATE_LIMITED");
        assertThat(verify(family.get(2))).isEqualTo("RATE_LIMITED");
        var managed = function.invoke("GET", "/v1/orgs/" + owner.personalOrganizationId() + "/api-keys", "",
                family.get(2).credential(), null);
        assertThat(managed.status()).isEqualTo(429);
        assertThat(managed.header("retry-after")).isNotNull();
    }
}
