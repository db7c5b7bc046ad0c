package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/orgs/{orgId}/audit-events} through the real Lambda entry point ({@code FunctionInvoker}) on the
 * emulated table: a tenant reads only its own events, newest first, filtered and paged; only {@code audit_log:view}
 * reads them; a cursor of another organization is refused.
 */
class AuditEventsFunctionInvokerTest {

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static Accounts accounts;
    private static DynamoDbAuditLog audit;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, dataDir);
        accounts = function.accounts();
        audit = function.auditLog();
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    private static LambdaHarness.Response list(Person person, String organizationId, String query) {
        return function.invoke("GET", "/v1/orgs/" + organizationId + "/audit-events", query, person.bearer(), null);
    }

    private static void record(String organizationId, String actorId, String action, Instant at) {
        audit.record(AuditEvent.builder(accounts.ids(), Clock.systemUTC()).occurredAt(at).organizationId(organizationId)
                .actor(Actor.user(actorId)).action(action).target("organization", organizationId)
                .requestId("seed").sourceIp("192.0.2.9").detail("reason", "SEEDED").build());
    }

    private static List<String> actions(LambdaHarness.Response response) {
        List<String> actions = new ArrayList<>();
        response.bodyJson().path("events").forEach(e -> actions.add(e.path("action").asString()));
        return actions;
    }

    @Test
    @DisplayName("the owner reads the organization's events newest first; filters and the cursor work")
    void ownerReadsOwnEventsNewestFirstFilteredAndPaged() {
        Person owner = accounts.person("audit-owner@example.com", true);
        Person stranger = accounts.person("audit-stranger@example.com", true);
        String org = owner.personalOrganizationId();
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
        record(org, owner.userId(), "member.role_changed", base.plusSeconds(1));
        record(org, owner.userId(), "member.removed", base.plusSeconds(2));
        record(org, "usr_01JBZ0000000000000000000ZZ", "team.created", base.plusSeconds(3));
        record(stranger.personalOrganizationId(), stranger.userId(), "team.created", base.plusSeconds(4));

        var all = list(owner, org, "");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(actions(all)).containsExactly("account.registered", "team.created", "member.removed",
                "member.role_changed");
        assertThat(all.body()).doesNotContain(stranger.userId()).doesNotContain("@");
        JsonNode first = all.bodyJson().path("events").get(3);
        assertThat(first.path("actor").path("type").asString()).isEqualTo("user");
        assertThat(first.path("target").path("id").asString()).isEqualTo(org);
        assertThat(first.path("details").path("reason").asString()).isEqualTo("SEEDED");
        assertThat(first.path("source_ip").asString()).isEqualTo("192.0.2.9");

        assertThat(actions(list(owner, org, "action=member."))).containsExactly("member.removed",
                "member.role_changed");
        assertThat(actions(list(owner, org, "actor=usr_01JBZ0000000000000000000ZZ"))).containsExactly("team.created");
        assertThat(actions(list(owner, org, "from=" + base.plusSeconds(2) + "&to=" + base.plusSeconds(3))))
                .containsExactly("member.removed");

        var page1 = list(owner, org, "limit=2");
        assertThat(actions(page1)).containsExactly("account.registered", "team.created");
        String cursor = page1.bodyJson().path("next_cursor").asString();
        assertThat(cursor).isNotBlank();
        var page2 = list(owner, org, "limit=2&cursor=" + java.net.URLEncoder.encode(cursor,
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(actions(page2)).containsExactly("member.removed", "member.role_changed");

        var foreignCursor = list(stranger, stranger.personalOrganizationId(), "limit=2&cursor="
                + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(foreignCursor.status()).as("a cursor of another organization").isEqualTo(400);
        assertThat(foreignCursor.bodyJson().path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    @DisplayName("only audit_log:view reads: admin yes; member and viewer 403; a stranger 404; no credential 401")
    void onlyAuditLogViewReads() {
        Person owner = accounts.person("audit-owner2@example.com", true);
        String org = owner.personalOrganizationId();
        Map<Role, Integer> expected = Map.of(Role.ADMIN, 200, Role.MEMBER, 403, Role.VIEWER, 403);
        expected.forEach((role, status) -> {
            Person person = accounts.person("audit-" + role.text() + "@example.com", true);
            accounts.join(person, org, role);
            var response = list(person, org, "");
            assertThat(response.status()).as(role + " " + response.body()).isEqualTo(status);
        });
        Person stranger = accounts.person("audit-stranger2@example.com", true);
        var foreign = list(stranger, org, "");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.bodyJson().path("error").path("code").asString()).isEqualTo("NOT_FOUND");
        var anonymous = function.invoke("GET", "/v1/orgs/" + org + "/audit-events", "", Map.of(), null);
        assertThat(anonymous.status()).isEqualTo(401);
        var denials = audit.find(org, AuditQuery.builder().action("authorization.denied").build()).events();
        assertThat(denials).extracting(e -> e.details().get("permission")).contains("audit_log:view");
    }

    @Test
    @DisplayName("bad queries are 400 with the field named")
    void badQueriesAreValidationErrors() {
        Person owner = accounts.person("audit-owner3@example.com", true);
        String org = owner.personalOrganizationId();
        Map<String, String> cases = Map.of("limit=0", "limit", "limit=x", "limit", "from=yesterday", "from",
                "action=Bad..", "action", "colour=red", "colour", "actor=a%40b.c", "actor",
                "from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z", "from");
        cases.forEach((query, field) -> {
            var response = list(owner, org, query);
            assertThat(response.status()).as(query + " " + response.body()).isEqualTo(400);
            assertThat(response.bodyJson().path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(response.body()).as(query).contains(field);
        });
    }
}
