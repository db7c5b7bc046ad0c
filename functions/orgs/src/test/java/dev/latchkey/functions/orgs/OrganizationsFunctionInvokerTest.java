package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.Membership;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.ApiKeySecrets;
import dev.latchkey.core.apikey.ApiKeyToken;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.http.ApiCatalog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.json.Json;
import dev.latchkey.core.org.Invitations;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.apikey.DynamoDbApiKeyRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.mail.FileOutboxMailer;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static Accounts accounts;
    private static DynamoDbAuditLog auditLog;
    private static DynamoDbUserRepository users;
    private static DynamoDbApiKeyRepository keys;
    private static ApiKeyHasher hasher;
    private static FileOutboxMailer outbox;
    private static SecureRandom random;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        accounts = Accounts.in(table);
        Map<String, String> variables = new LinkedHashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", dataDir.toString());
        lambda = LambdaHarness.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, variables);
        Clock clock = Clock.systemUTC();
        random = new SecureRandom();
        auditLog = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, clock);
        users = new DynamoDbUserRepository(table.client(), EmulatedTable.TABLE, auditLog);
        keys = new DynamoDbApiKeyRepository(table.client(), EmulatedTable.TABLE, auditLog);
        hasher = new ApiKeyHasher(new DynamoDbPeppers(table.client(), EmulatedTable.TABLE,
                LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, random), random, clock));
        outbox = new FileOutboxMailer(dataDir.resolve("outbox"), clock, random);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    // ------------------------------------------------------------------ fixtures and requests

    private static String email(String name) {
        return name + "." + EMAILS.incrementAndGet() + "@example.com";
    }

    private static Person person(String name) {
        return accounts.person(email(name), true);
    }

    /** An API key of the organization with these permissions, stored as the api-keys function stores it. */
    private static String apiKey(String organizationId, Set<String> permissions) {
        String keyId = accounts.ids().next(IdPrefix.API_KEY);
        ApiKeyToken token = ApiKeyToken.generate(keyId, random);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        keys.create(new ApiKey(keyId, organizationId, "matrix", Optional.empty(), List.copyOf(permissions), now,
                "usr_01JD3ZK8W6Q4V8S2M9N7T5R3P1", Optional.empty(), Optional.empty(), Optional.empty(),
                ApiKeySecrets.of(hasher.hash(token)), 0, Optional.empty(), 1),
                AuditEvent.builder(accounts.ids(), Clock.systemUTC()).organizationId(organizationId)
                        .actor(Actor.system("test")).action("api_key.created").target("api_key", keyId)
                        .requestId("test").build());
        return token.value();
    }

    private static LambdaHarness.Response call(String method, String path, String query, Map<String, String> auth,
            Object body) {
        return lambda.invoke(HttpEvents.event(method, path, query, auth, body));
    }

    private static Map<String, String> as(Person person) {
        return HttpEvents.bearer(person.accessToken());
    }

    private static String code(LambdaHarness.Response response) {
        return response.bodyJson().path("error").path("code").asString();
    }

    private static String reason(LambdaHarness.Response response) {
        return response.bodyJson().path("error").path("details").path("reason").asString();
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

    private static List<AuditEvent> events(String organizationId) {
        return auditLog.find(organizationId, AuditQuery.builder().limit(100).build()).events();
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
        Person signedIn = person("events");
        for (Path file : files) {
            String name = file.getFileName().toString();
            String text = Files.readString(file).replace("TEST_ACCESS_TOKEN", signedIn.accessToken());
            JsonNode event = Json.mapper().readTree(text);
            assertThat(ApiCatalog.match(event.path("requestContext").path("http").path("method").asString(),
                    event.path("rawPath").asString())).as(name + " is a catalog route")
                    .hasValueSatisfying(m -> assertThat(m.route().key()).isEqualTo(event.path("routeKey").asString()));
            routes.add(event.path("routeKey").asString());
            var response = lambda.invoke(text);
            int expected = EXPECTED_STATUS.get(name);
            assertThat(response.status()).as(name + " " + response.body()).isEqualTo(expected);
            assertThat(code(response)).as(name).isEqualTo(EXPECTED_CODE.get(expected));
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
        Person owner = person("flow.owner");
        var created = call("POST", "/v1/orgs", "", as(owner), Map.of("name", "Flow Inc"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.bodyJson().path("id").asString();
        assertThat(created.bodyJson().path("role").asString()).isEqualTo("owner");
        assertThat(created.bodyJson().path("personal").asBoolean()).isFalse();
        var listed = call("GET", "/v1/orgs", "", as(owner), null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.bodyJson().path("organizations").findValuesAsString("id")).contains(id,
                owner.personalOrganizationId());

        String secondEmail = email("flow.second");
        var invited = call("POST", org(id) + "/invitations", "", as(owner), Map.of("email", secondEmail,
                "role", "member"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        assertThat(invited.body()).doesNotContain("lki_").doesNotContain("token").doesNotContain("hash");
        assertThat(invited.bodyJson().path("status").asString()).isEqualTo("pending");
        assertThat(invited.bodyJson().path("mail_sent").asBoolean()).isTrue();
        String token = tokenMailedTo(secondEmail);
        var pending = call("GET", org(id) + "/invitations", "", as(owner), null);
        assertThat(pending.bodyJson().path("invitations").get(0).path("email").asString()).isEqualTo(secondEmail);
        assertThat(pending.body()).doesNotContain(token);

        Person unverified = accounts.person(email("flow.unverified"), false);
        var notVerified = call("POST", "/v1/invitations/accept", "", as(unverified), Map.of("token", token));
        assertThat(notVerified.status()).isEqualTo(403);
        assertThat(reason(notVerified)).isEqualTo("EMAIL_NOT_VERIFIED");
        Person intruder = person("flow.intruder");
        var mismatch = call("POST", "/v1/invitations/accept", "", as(intruder), Map.of("token", token));
        assertThat(mismatch.status()).isEqualTo(403);
        assertThat(reason(mismatch)).isEqualTo("EMAIL_MISMATCH");
        assertThat(mismatch.body()).doesNotContain(secondEmail).doesNotContain("@");

        Person second = accounts.person(secondEmail, true);
        var accepted = call("POST", "/v1/invitations/accept", "", as(second), Map.of("token", token));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.bodyJson().path("id").asString()).isEqualTo(id);
        assertThat(accepted.bodyJson().path("role").asString()).isEqualTo("member");
        assertThat(users.memberships(second.userId())).as("GET /v1/users/me shows it")
                .contains(new Membership(id, "Flow Inc", "member"));
        var again = call("POST", "/v1/invitations/accept", "", as(second), Map.of("token", token));
        assertThat(again.status()).isEqualTo(404);
        assertThat(reason(again)).isEqualTo("INVITATION_NOT_FOUND");

        var promoted = call("PATCH", org(id) + "/members/" + second.userId(), "", as(owner), Map.of("role",
                "admin"));
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.bodyJson().path("role").asString()).isEqualTo("admin");
        var makeOwner = call("PATCH", org(id) + "/members/" + second.userId(), "", as(second), Map.of("role",
                "owner"));
        assertThat(makeOwner.status()).isEqualTo(403);
        assertThat(reason(makeOwner)).isEqualTo("ROLE_NOT_GRANTABLE");
        var demoteOwner = call("PATCH", org(id) + "/members/" + owner.userId(), "", as(second), Map.of("role",
                "member"));
        assertThat(demoteOwner.status()).isEqualTo(403);

        var leave = call("DELETE", org(id) + "/members/" + owner.userId(), "", as(owner), null);
        assertThat(leave.status()).isEqualTo(409);
        assertThat(reason(leave)).isEqualTo("LAST_OWNER");
        var notEmpty = call("DELETE", org(id), "", as(owner), null);
        assertThat(notEmpty.status()).isEqualTo(409);
        assertThat(reason(notEmpty)).isEqualTo("ORGANIZATION_NOT_EMPTY");
        assertThat(notEmpty.bodyJson().path("error").path("details").path("remaining").path("members").asInt())
                .isEqualTo(1);
        var members = call("GET", org(id) + "/members", "limit=1", as(second), null);
        assertThat(members.bodyJson().path("members")).hasSize(1);
        assertThat(members.bodyJson().path("next_cursor").asString()).isNotBlank();

        var removed = call("DELETE", org(id) + "/members/" + second.userId(), "", as(owner), null);
        assertThat(removed.status()).isEqualTo(204);
        assertThat(call("GET", org(id), "", as(second), null).status()).as("no longer a member").isEqualTo(404);
        call("POST", org(id) + "/invitations", "", as(owner), Map.of("email", email("flow.later"), "role", "viewer"));
        var deleted = call("DELETE", org(id), "", as(owner), null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(call("GET", org(id), "", as(owner), null).status()).isEqualTo(404);
        var personal = call("DELETE", org(owner.personalOrganizationId()), "", as(owner), null);
        assertThat(personal.status()).isEqualTo(409);
        assertThat(reason(personal)).isEqualTo("PERSONAL_ORGANIZATION");

        List<AuditEvent> trail = events(id);
        assertThat(trail).extracting(AuditEvent::action).contains("org.created", "invitation.created",
                "invitation.accepted", "member.role_changed", "member.removed", "org.deleted");
        for (AuditEvent event : trail) {
            assertThat(event.toString()).doesNotContain("@").doesNotContain("lki_");
        }
    }

    @Test
    void requestsWhenMalformedOrFromAnApiKeyThenRefusedNamingTheField() {
        Person owner = person("strict.owner");
        String id = call("POST", "/v1/orgs", "", as(owner), Map.of("name", "Strict")).bodyJson().path("id")
                .asString();
        Map<String, String> bad = Map.of(
                "{\"name\": \"x\", \"personal\": true}", "personal",
                "{}", "name",
                "{\"name\": \"" + "x".repeat(101) + "\"}", "name");
        bad.forEach((body, field) -> {
            var response = call("PATCH", org(id), "", as(owner), body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.bodyJson().path("error").path("details").path("field").asString()).as(body)
                    .isEqualTo(field);
        });
        var badRole = call("POST", org(id) + "/invitations", "", as(owner), Map.of("email", "x@example.com",
                "role", "boss"));
        assertThat(badRole.bodyJson().path("error").path("details").path("field").asString()).isEqualTo("role");
        var badEmail = call("POST", org(id) + "/invitations", "", as(owner), Map.of("email", "nope", "role",
                "viewer"));
        assertThat(badEmail.bodyJson().path("error").path("details").path("field").asString()).isEqualTo("email");
        var orgId = call("POST", org(id) + "/invitations", "", as(owner), "{\"email\": \"x@example.com\", "
                + "\"role\": \"viewer\", \"org_id\": \"org_01JD3ZK8W6Q4V8S2M9N7T5R3P1\"}");
        assertThat(orgId.status()).isEqualTo(400);
        assertThat(call("GET", org(id) + "/members", "limit=0", as(owner), null).status()).isEqualTo(400);
        assertThat(call("GET", org(id) + "/members", "sort=name", as(owner), null).status()).isEqualTo(400);
        assertThat(call("GET", org(id) + "/members", "cursor=bogus", as(owner), null).status()).isEqualTo(400);
        String key = apiKey(id, Role.OWNER.permissions());
        var byKey = call("POST", "/v1/orgs", "", HttpEvents.apiKey(key), Map.of("name", "Key Org"));
        assertThat(byKey.status()).isEqualTo(403);
        assertThat(reason(byKey)).isEqualTo("USER_REQUIRED");
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
        Person owner = person("matrix.owner");
        String id = call("POST", "/v1/orgs", "", as(owner), Map.of("name", "Matrix")).bodyJson().path("id")
                .asString();
        Map<Role, Person> byRole = new LinkedHashMap<>();
        for (Role role : List.of(Role.ADMIN, Role.MEMBER, Role.VIEWER)) {
            Person person = person("matrix." + role.text());
            accounts.join(person, id, role);
            byRole.put(role, person);
        }
        Person stranger = person("matrix.stranger");
        String strangerKey = apiKey(stranger.personalOrganizationId(), Role.OWNER.permissions());

        SoftAssertions softly = new SoftAssertions();
        int checked = 0;
        for (Map.Entry<String, String> route : OrganizationEndpoints.PERMISSIONS.entrySet()) {
            String permission = route.getValue();
            Set<String> with = new HashSet<>(Role.ADMIN.permissions());
            with.add(permission);
            Set<String> without = new HashSet<>(Role.ADMIN.permissions());
            without.remove(permission);
            List<Caller> callers = new ArrayList<>();
            callers.add(new Caller("owner", as(owner), p -> 0));
            byRole.forEach((role, person) -> callers.add(new Caller(role.text(), as(person),
                    p -> role.permissions().contains(p) ? 0 : 403)));
            callers.add(new Caller("key with " + permission, HttpEvents.apiKey(apiKey(id, with)), p -> 0));
            callers.add(new Caller("key without it", HttpEvents.apiKey(apiKey(id, without)), p -> 403));
            callers.add(new Caller("member of another organization", as(stranger), p -> 404));
            callers.add(new Caller("key of another organization", HttpEvents.apiKey(strangerKey), p -> 404));
            for (Caller caller : callers) {
                var response = send(route.getKey(), id, owner, caller.auth());
                int expected = caller.expected().applyAsInt(permission);
                String where = route.getKey() + " as " + caller.name() + ": " + response.body();
                if (expected == 0) {
                    if (route.getKey().equals(OrganizationEndpoints.DELETE)) {
                        softly.assertThat(response.status()).as(where).isEqualTo(409);
                        softly.assertThat(reason(response)).as(where).isEqualTo("ORGANIZATION_NOT_EMPTY");
                    } else {
                        softly.assertThat(response.status()).as(where).isBetween(200, 204);
                    }
                } else {
                    softly.assertThat(response.status()).as(where).isEqualTo(expected);
                    softly.assertThat(code(response)).as(where)
                            .isEqualTo(expected == 403 ? "PERMISSION_DENIED" : "NOT_FOUND");
                    if (expected == 403) {
                        softly.assertThat(response.bodyJson().path("error").path("details").path("permission")
                                .asString()).as(where).isEqualTo(permission);
                    }
                }
                checked++;
            }
        }
        softly.assertAll();
        assertThat(checked).isEqualTo(OrganizationEndpoints.PERMISSIONS.size() * 8);
        List<AuditEvent> trail = events(id);
        assertThat(trail).filteredOn(e -> e.action().equals("authorization.denied")).as("denials are audited")
                .isNotEmpty();
        assertThat(trail).extracting(AuditEvent::action).contains("org.renamed", "member.role_changed",
                "member.removed", "invitation.created", "invitation.revoked");
        assertThat(call("DELETE", org(id) + "/members/" + byRole.get(Role.VIEWER).userId(), "",
                as(byRole.get(Role.VIEWER)), null).status()).as("a viewer may leave").isEqualTo(204);
        assertThat(events(id)).extracting(AuditEvent::action).contains("member.left");
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
                Person target = person("matrix.target");
                accounts.join(target, id, Role.VIEWER);
                return call("PATCH", org(id) + "/members/" + target.userId(), "", auth, Map.of("role", "member"));
            }
            case OrganizationEndpoints.REMOVE_MEMBER: {
                Person target = person("matrix.target");
                accounts.join(target, id, Role.VIEWER);
                return call("DELETE", org(id) + "/members/" + target.userId(), "", auth, null);
            }
            case OrganizationEndpoints.INVITE:
                return call("POST", org(id) + "/invitations", "", auth, Map.of("email", email("matrix.invitee"),
                        "role", "viewer"));
            case OrganizationEndpoints.INVITATIONS:
                return call("GET", org(id) + "/invitations", "", auth, null);
            case OrganizationEndpoints.REVOKE_INVITATION: {
                String invitationId = call("POST", org(id) + "/invitations", "", as(owner), Map.of("email",
                        email("matrix.revoked"), "role", "viewer")).bodyJson().path("id").asString();
                return call("DELETE", org(id) + "/invitations/" + invitationId, "", auth, null);
            }
            default:
                throw new IllegalArgumentException(route);
        }
    }
}
