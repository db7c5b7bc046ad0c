package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teams, resources and grants through the real Lambda entry point ({@code FunctionInvoker}) on the emulated table:
 * the full flow from a resource to the scopes {@link dev.latchkey.core.resource.GrantedScopes} answers, and who may
 * call which route.
 */
class TeamsAndResourcesFunctionInvokerTest {

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

    private static LambdaHarness.Response call(Person person, String method, String path, String body) {
        return function.invoke(method, path, "", person.bearer(), body);
    }

    @Test
    void fullFlowResourceTeamMembersGrantsThenGrantedScopes() {
        Person owner = accounts.person("tr-owner@example.com", true);
        Person alice = accounts.person("tr-alice@example.com", true);
        Person bob = accounts.person("tr-bob@example.com", true);
        Person viewer = accounts.person("tr-viewer@example.com", true);
        String org = owner.personalOrganizationId();
        accounts.join(alice, org, Role.MEMBER);
        accounts.join(bob, org, Role.MEMBER);
        accounts.join(viewer, org, Role.VIEWER);
        String base = "/v1/orgs/" + org;

        var created = call(owner, "POST", base + "/resources",
                "{\"name\":\"API\",\"audience\":\"https://API.example.com\",\"scopes\":[\"read\",\"write\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String resourceId = created.bodyJson().path("id").asString();
        assertThat(created.bodyJson().path("audience").asString()).isEqualTo("https://api.example.com");
        var taken = call(owner, "POST", base + "/resources",
                "{\"name\":\"Again\",\"audience\":\"https://api.example.com\",\"scopes\":[]}");
        assertThat(taken.status()).isEqualTo(409);
        var reserved = call(owner, "POST", base + "/resources",
                "{\"name\":\"Bad\",\"audience\":\"https://bad.example.com\",\"scopes\":[\"org:delete\"]}");
        assertThat(reserved.status()).isEqualTo(400);

        var team = call(owner, "POST", base + "/teams", "{\"name\":\"Platform\"}");
        assertThat(team.status()).as(team.body()).isEqualTo(201);
        String teamId = team.bodyJson().path("id").asString();
        for (Person member : new Person[] {alice, bob}) {
            var added = call(owner, "PUT", base + "/teams/" + teamId + "/members/" + member.userId(), null);
            assertThat(added.status()).as(added.body()).isEqualTo(200);
        }
        var toTeam = call(owner, "PUT", base + "/resources/" + resourceId + "/grants/" + teamId,
                "{\"scopes\":[\"read\"]}");
        assertThat(toTeam.status()).as(toTeam.body()).isEqualTo(200);
        var toAlice = call(owner, "PUT", base + "/resources/" + resourceId + "/grants/" + alice.userId(),
                "{\"scopes\":[\"write\"]}");
        assertThat(toAlice.status()).isEqualTo(200);
        var empty = call(owner, "PUT", base + "/resources/" + resourceId + "/grants/" + alice.userId(),
                "{\"scopes\":[]}");
        assertThat(empty.status()).isEqualTo(400);

        var grants = call(viewer, "GET", base + "/resources/" + resourceId + "/grants", null);
        assertThat(grants.status()).isEqualTo(200);
        assertThat(grants.bodyJson().path("grants").size()).isEqualTo(2);
        var shown = call(viewer, "GET", base + "/teams/" + teamId, null);
        assertThat(shown.status()).isEqualTo(200);

        var audiences = new CompositionRoot(lambdaRuntime()).tokenAudiences();
        assertThat(audiences.forUser("https://api.example.com", alice.userId(), List.of()).scopes())
                .containsExactly("read",
                "write");
        assertThat(audiences.forUser("https://api.example.com", bob.userId(), List.of()).scopes())
                .containsExactly("read");
        assertThat(audiences.forUser("https://api.example.com", viewer.userId(), List.of()).scopes()).isEmpty();

        var actions = audit.find(org, AuditQuery.builder().build()).events().stream().map(e -> e.action()).toList();
        assertThat(actions).contains("resource.created", "team.created", "team.member_added", "grant.set");
    }

    @Test
    void roleMatrixReadersReadOnlyManagersWriteStrangersGet404() {
        Person owner = accounts.person("trm-owner@example.com", true);
        String org = owner.personalOrganizationId();
        String base = "/v1/orgs/" + org;
        Map<Role, Integer> createStatus = Map.of(Role.ADMIN, 201, Role.MEMBER, 403, Role.VIEWER, 403);
        createStatus.forEach((role, status) -> {
            Person person = accounts.person("trm-" + role.text() + "@example.com", true);
            accounts.join(person, org, role);
            var team = call(person, "POST", base + "/teams", "{\"name\":\"T-" + role.text() + "\"}");
            assertThat(team.status()).as(role + " " + team.body()).isEqualTo(status);
            var resource = call(person, "POST", base + "/resources", "{\"name\":\"R\",\"audience\":\"https://"
                    + role.text() + ".matrix.example.com\",\"scopes\":[\"read\"]}");
            assertThat(resource.status()).as(role + " " + resource.body()).isEqualTo(status);
            assertThat(call(person, "GET", base + "/teams", null).status()).isEqualTo(200);
            assertThat(call(person, "GET", base + "/resources", null).status()).isEqualTo(200);
        });
        Person stranger = accounts.person("trm-stranger@example.com", true);
        assertThat(call(stranger, "GET", base + "/teams", null).status()).isEqualTo(404);
        assertThat(call(stranger, "POST", base + "/resources", "{\"name\":\"R\",\"audience\":"
                + "\"https://stranger.example.com\",\"scopes\":[]}").status()).isEqualTo(404);
        var anonymous = function.invoke("GET", base + "/resources", "", Map.of(), null);
        assertThat(anonymous.status()).isEqualTo(401);
        var denials = audit.find(org, AuditQuery.builder().action("authorization.denied").build()).events();
        assertThat(denials).extracting(e -> e.details().get("permission")).contains("team:manage",
                "resource:manage");
    }

    private static dev.latchkey.infrastructure.runtime.LatchkeyRuntime lambdaRuntime() {
        Map<String, String> variables = function.variables();
        return dev.latchkey.infrastructure.runtime.LatchkeyRuntime.create(
                dev.latchkey.core.config.LatchkeyConfig.fromEnvironment(variables, "test"), variables);
    }
}
