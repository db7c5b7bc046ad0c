package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.Membership;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.org.Invitations;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.mail.FileOutboxMailer;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.testing.Refusals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every {@code events/orgs/{org,member,invitation}-*.json}, the whole life of an organization, and the endpoint ×
 * role matrix of the organization, member and invitation routes, through the real Lambda entry point
 * ({@code FunctionInvoker}) with the local key vault, the emulated table and the file outbox (where the invitation
 * token is read, as the register test reads verification tokens). Events marked {@code TEST_ACCESS_TOKEN} get a
 * signed-in user's token put in, so their malformed bodies reach the parser.
 */
class OrganizationsFunctionInvokerTest {

    private static final Map<String, Integer> EXPECTED_STATUS = Map.ofEntries(
            Map.entry("org-create-without-credential.json", 401),
            Map.entry("org-create-malformed.json", 400),
            Map.entry("org-list-without-credential.json", 401),
            Map.entry("org-list-key-in-query.json", 400),
            Map.entry("org-show-without-credential.json", 401),
            Map.entry("org-rename-without-credential.json", 401),
            Map.entry("org-delete-without-credential.json", 401),
            Map.entry("member-list-without-credential.json", 401),
            Map.entry("member-list-unknown-api-key.json", 401),
            Map.entry("member-change-role-without-credential.json", 401),
            Map.entry("member-remove-without-credential.json", 401),
            Map.entry("invitation-create-without-credential.json", 401),
            Map.entry("invitation-list-without-credential.json", 401),
            Map.entry("invitation-revoke-without-credential.json", 401),
            Map.entry("invitation-accept-without-credential.json", 401),
            Map.entry("invitation-accept-malformed.json", 400));

    private static final Map<Integer, String> EXPECTED_CODE = Map.of(401, "AUTHENTICATION_FAILED", 400,
            "VALIDATION_ERROR");

    private static final Pattern TOKEN = Pattern.compile("lki_[A-Za-z0-9_-]{43}");
    private static final AtomicInteger EMAILS = new AtomicInteger();

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static Accounts accounts;
    private static DynamoDbUserRepository users;
    private static FileOutboxMailer outbox;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, dataDir);
        accounts = function.accounts();
        users = new DynamoDbUserRepository(function.table().client(), EmulatedTable.TABLE, function.auditLog());
        outbox = new FileOutboxMailer(dataDir.resolve("outbox"), Clock.systemUTC(), new SecureRandom());
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    // ------------------------------------------------------------------ fixtures and requests

    private static LambdaHarness.Response call(String method, String path, String query, Map<String, String> headers,
            Object body) {
        return function.invoke(method, path, query, headers, body);
    }

    private static String org(String organizationId) {
        return "/v1/orgs/" + organizationId;
    }

    private static String tokenMailedTo(String address) {
        String text = outbox.latest(Invitations.MAIL_PURPOSE, address).orElseThrow().text();
        Matcher matcher = TOKEN.matcher(text);
        assertThat(matcher.find()).as("the invitation mail holds a token").isTrue();
        return matcher.group();
    }


    // ------------------------------------------------------------------ events

    @Test
    void everyOrganizationEventAnswersItsDocumentedStatusThroughFunctionInvoker() throws IOException {
        List<Path> files = Events.of("orgs").stream().filter(p -> {
            String name = p.getFileName().toString();
            return name.startsWith("org-") || name.startsWith("member-") || name.startsWith("invitation-");
        }).toList();
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
        List<String> all = new ArrayList<>(OrganizationEndpoints.PERMISSIONS.keySet());
        all.addAll(OrganizationEndpoints.USER_ROUTES);
        assertThat(routes).as("an event for every route").containsExactlyInAnyOrderElementsOf(all);
    }

    // ------------------------------------------------------------------ the whole life

    @Test
    @DisplayName("create → invite → accept → promote → admin cannot make an owner → last owner cannot leave → "
            + "remove → delete refused while not empty → delete")
    void organizationLifeThroughFunctionInvoker() {
        Person owner = accounts.person("flow.owner");
        var created = call("POST", "/v1/orgs", "", owner.bearer(), Map.of("name", "Flow Inc"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.bodyJson().path("id").asString();
        assertThat(created.bodyJson().path("role").asString()).isEqualTo("owner");
        assertThat(created.bodyJson().path("personal").asBoolean()).isFalse();
        var listed = call("GET", "/v1/orgs", "", owner.bearer(), null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.bodyJson().path("organizations").findValuesAsString("id")).contains(id,
                owner.personalOrganizationId());

        String secondEmail = Accounts.email("flow.second");
        var invited = call("POST", org(id) + "/invitations", "", owner.bearer(), Map.of("email", secondEmail,
                "role", "member"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        assertThat(invited.body()).doesNotContain("lki_").doesNotContain("token").doesNotContain("hash");
        assertThat(invited.bodyJson().path("status").asString()).isEqualTo("pending");
        assertThat(invited.bodyJson().path("mail_sent").asBoolean()).isTrue();
        String token = tokenMailedTo(secondEmail);
        var pending = call("GET", org(id) + "/invitations", "", owner.bearer(), null);
        assertThat(pending.bodyJson().path("invitations").get(0).path("email").asString()).isEqualTo(secondEmail);
        assertThat(pending.body()).doesNotContain(token);

        Person unverified = accounts.person(Accounts.email("flow.unverified"), false);
        var notVerified = call("POST", "/v1/invitations/accept", "", unverified.bearer(), Map.of("token", token));
        assertThat(notVerified.status()).isEqualTo(403);
        assertThat(notVerified.errorReason()).isEqualTo("EMAIL_NOT_VERIFIED");
        Person intruder = accounts.person("flow.intruder");
        var mismatch = call("POST", "/v1/invitations/accept", "", intruder.bearer(), Map.of("token", token));
        assertThat(mismatch.status()).isEqualTo(403);
        assertThat(mismatch.errorReason()).isEqualTo("EMAIL_MISMATCH");
        assertThat(mismatch.body()).doesNotContain(secondEmail).doesNotContain("@");

        Person second = accounts.person(secondEmail, true);
        var accepted = call("POST", "/v1/invitations/accept", "", second.bearer(), Map.of("token", token));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.bodyJson().path("id").asString()).isEqualTo(id);
        assertThat(accepted.bodyJson().path("role").asString()).isEqualTo("member");
        assertThat(users.memberships(second.userId())).as("GET /v1/users/me shows it")
                .contains(new Membership(id, "Flow Inc", "member"));
        var memberList = call("GET", org(id) + "/members", "", second.bearer(), null);
        assertThat(memberList.status()).as(memberList.body()).isEqualTo(200);
        assertThat(memberList.bodyJson().path("members").findValuesAsString("name"))
                .as("names, read in one batch").containsOnly("Test Person");
        assertThat(memberList.bodyJson().path("members").findValuesAsString("user_id"))
                .containsExactlyInAnyOrder(owner.userId(), second.userId());
        assertThat(memberList.body()).as("no member's email address").doesNotContain("@");
        var again = call("POST", "/v1/invitations/accept", "", second.bearer(), Map.of("token", token));
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorReason()).isEqualTo("INVITATION_NOT_FOUND");

        var promoted = call("PATCH", org(id) + "/members/" + second.userId(), "", owner.bearer(), Map.of("role",
                "admin"));
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.bodyJson().path("role").asString()).isEqualTo("admin");
        var makeOwner = call("PATCH", org(id) + "/members/" + second.userId(), "", second.bearer(), Map.of("role",
                "owner"));
        assertThat(makeOwner.status()).isEqualTo(403);
        assertThat(makeOwner.errorReason()).isEqualTo("ROLE_NOT_GRANTABLE");
        var demoteOwner = call("PATCH", org(id) + "/members/" + owner.userId(), "", second.bearer(), Map.of("role",
                "member"));
        assertThat(demoteOwner.status()).isEqualTo(403);

        var leave = call("DELETE", org(id) + "/members/" + owner.userId(), "", owner.bearer(), null);
        assertThat(leave.status()).isEqualTo(409);
        assertThat(leave.errorReason()).isEqualTo("LAST_OWNER");
        var notEmpty = call("DELETE", org(id), "", owner.bearer(), null);
        assertThat(notEmpty.status()).isEqualTo(409);
        assertThat(notEmpty.errorReason()).isEqualTo("ORGANIZATION_NOT_EMPTY");
        assertThat(notEmpty.bodyJson().path("error").path("details").path("remaining").path("members").asInt())
                .isEqualTo(1);
        var members = call("GET", org(id) + "/members", "limit=1", second.bearer(), null);
        assertThat(members.bodyJson().path("members")).hasSize(1);
        assertThat(members.bodyJson().path("next_cursor").asString()).isNotBlank();

        var removed = call("DELETE", org(id) + "/members/" + second.userId(), "", owner.bearer(), null);
        assertThat(removed.status()).isEqualTo(204);
        assertThat(call("GET", org(id), "", second.bearer(), null).status()).as("no longer a member").isEqualTo(404);
        call("POST", org(id) + "/invitations", "", owner.bearer(), Map.of("email", Accounts.email("flow.later"),
                "role", "viewer"));
        var deleted = call("DELETE", org(id), "", owner.bearer(), null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(call("GET", org(id), "", owner.bearer(), null).status()).isEqualTo(404);
        var personal = call("DELETE", org(owner.personalOrganizationId()), "", owner.bearer(), null);
        assertThat(personal.status()).isEqualTo(409);
        assertThat(personal.errorReason()).isEqualTo("PERSONAL_ORGANIZATION");

        List<AuditEvent> trail = function.auditEvents(id);
        assertThat(trail).extracting(AuditEvent::action).contains("org.created", "invitation.created",
                "invitation.accepted", "member.role_changed", "member.removed", "org.deleted");
        for (AuditEvent event : trail) {
            assertThat(event.toString()).doesNotContain("@").doesNotContain("lki_");
        }
    }

    @Test
    void requestsWhenMalformedOrFromAnApiKeyThenRefusedNamingTheField() {
        Person owner = accounts.person("strict.owner");
        String id = call("POST", "/v1/orgs", "", owner.bearer(), Map.of("name", "Strict")).bodyJson().path("id")
                .asString();
        Map<String, String> bad = Map.of(
                "{\"name\": \"x\", \"personal\": true}", "personal",
                "{}", "name",
                "{\"name\": \"" + "x".repeat(101) + "\"}", "name");
        bad.forEach((body, field) -> {
            var response = call("PATCH", org(id), "", owner.bearer(), body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.errorField()).as(body)
                    .isEqualTo(field);
        });
        var badRole = call("POST", org(id) + "/invitations", "", owner.bearer(), Map.of("email", "x@example.com",
                "role", "boss"));
        assertThat(badRole.errorField()).isEqualTo("role");
        var badEmail = call("POST", org(id) + "/invitations", "", owner.bearer(), Map.of("email", "nope", "role",
                "viewer"));
        assertThat(badEmail.errorField()).isEqualTo("email");
        var orgId = call("POST", org(id) + "/invitations", "", owner.bearer(), "{\"email\": \"x@example.com\", "
                + "\"role\": \"viewer\", \"org_id\": \"org_01JD3ZK8W6Q4V8S2M9N7T5R3P1\"}");
        assertThat(orgId.status()).isEqualTo(400);
        assertThat(call("GET", org(id) + "/members", "limit=0", owner.bearer(), null).status()).isEqualTo(400);
        assertThat(call("GET", org(id) + "/members", "sort=name", owner.bearer(), null).status()).isEqualTo(400);
        assertThat(call("GET", org(id) + "/members", "cursor=bogus", owner.bearer(), null).status()).isEqualTo(400);
        String key = accounts.apiKey(id, Role.OWNER.permissions());
        var byKey = call("POST", "/v1/orgs", "", HttpEvents.apiKey(key), Map.of("name", "Key Org"));
        assertThat(byKey.status()).isEqualTo(403);
        assertThat(byKey.errorReason()).isEqualTo("USER_REQUIRED");
        assertThat(call("GET", "/v1/orgs", "", HttpEvents.apiKey(key), null).status()).isEqualTo(403);
        assertThat(call("GET", org(id), "", HttpEvents.apiKey(key), null).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ endpoint × role matrix

    /** Who calls, and the status a route's permission implies for them (0: the route's success). */
    private record Caller(String name, Map<String, String> auth, java.util.function.ToIntFunction<String> expected) {
    }

    @Test
    @DisplayName("[8.2] every organization, member and invitation route × owner, admin, member, viewer, keys with "
            + "and without its permission, another organization's user and key: allowed, 403 or 404")
    void everyRouteAndCallerAnswersWhatTheRoleAndRouteTableSay() {
        Person owner = accounts.person("matrix.owner");
        String id = call("POST", "/v1/orgs", "", owner.bearer(), Map.of("name", "Matrix")).bodyJson().path("id")
                .asString();
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
        for (Map.Entry<String, String> route : OrganizationEndpoints.PERMISSIONS.entrySet()) {
            String permission = route.getValue();
            Set<String> with = new HashSet<>(Role.ADMIN.permissions());
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
                var response = send(route.getKey(), id, owner, caller.auth());
                int expected = caller.expected().applyAsInt(permission);
                String where = route.getKey() + " as " + caller.name() + ": " + response.body();
                if (expected == 0) {
                    if (route.getKey().equals(OrganizationEndpoints.DELETE)) {
                        softly.assertThat(response.status()).as(where).isEqualTo(409);
                        softly.assertThat(response.errorReason()).as(where).isEqualTo("ORGANIZATION_NOT_EMPTY");
                    } else {
                        softly.assertThat(response.status()).as(where).isBetween(200, 204);
                    }
                } else {
                    Refusals.assertRefused(softly, response, expected, permission, where);
                }
                checked++;
            }
        }
        softly.assertAll();
        assertThat(checked).isEqualTo(OrganizationEndpoints.PERMISSIONS.size() * 8);
        List<AuditEvent> trail = function.auditEvents(id);
        assertThat(trail).filteredOn(e -> e.action().equals("authorization.denied")).as("denials are audited")
                .isNotEmpty();
        assertThat(trail).extracting(AuditEvent::action).contains("org.renamed", "member.role_changed",
                "member.removed", "invitation.created", "invitation.revoked");
        assertThat(call("DELETE", org(id) + "/members/" + byRole.get(Role.VIEWER).userId(), "",
                byRole.get(Role.VIEWER).bearer(), null).status()).as("a viewer may leave").isEqualTo(204);
        assertThat(function.auditEvents(id)).extracting(AuditEvent::action).contains("member.left");
    }

    /** One valid request of the route by {@code auth}; targets are made fresh by the owner. */
    private static LambdaHarness.Response send(String route, String id, Person owner, Map<String, String> auth) {
        switch (route) {
            case OrganizationEndpoints.SHOW:
                return call("GET", org(id), "", auth, null);
            case OrganizationEndpoints.RENAME:
                return call("PATCH", org(id), "", auth, Map.of("name", "Matrix " + EMAILS.incrementAndGet()));
            case OrganizationEndpoints.DELETE:
                return call("DELETE", org(id), "", auth, null);
            case OrganizationEndpoints.MEMBERS:
                return call("GET", org(id) + "/members", "limit=10", auth, null);
            case OrganizationEndpoints.CHANGE_ROLE: {
                Person target = accounts.person("matrix.target");
                accounts.join(target, id, Role.VIEWER);
                return call("PATCH", org(id) + "/members/" + target.userId(), "", auth, Map.of("role", "member"));
            }
            case OrganizationEndpoints.REMOVE_MEMBER: {
                Person target = accounts.person("matrix.target");
                accounts.join(target, id, Role.VIEWER);
                return call("DELETE", org(id) + "/members/" + target.userId(), "", auth, null);
            }
            case OrganizationEndpoints.INVITE:
                return call("POST", org(id) + "/invitations", "", auth, Map.of("email",
                        Accounts.email("matrix.invitee"),
                        "role", "viewer"));
            case OrganizationEndpoints.INVITATIONS:
                return call("GET", org(id) + "/invitations", "", auth, null);
            case OrganizationEndpoints.REVOKE_INVITATION: {
                String invitationId = call("POST", org(id) + "/invitations", "", owner.bearer(), Map.of("email",
                        Accounts.email("matrix.revoked"), "role", "viewer")).bodyJson().path("id").asString();
                return call("DELETE", org(id) + "/invitations/" + invitationId, "", auth, null);
            }
            default:
                throw new IllegalArgumentException(route);
        }
    }
}
