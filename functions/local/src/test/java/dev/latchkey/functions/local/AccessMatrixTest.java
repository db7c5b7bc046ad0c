package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.functions.apikeys.ApiKeysApplication;
import dev.latchkey.functions.orgs.OrgsApplication;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The endpoint × role matrix of every organization route (SECURITY.md [8.2.1]; issue #6): each route of the orgs and
 * api-keys functions, through its function's real Lambda entry ({@code FunctionInvoker}) on one emulated table, as
 * owner, admin, member, viewer, team member, service client, API key with and without the route's permission, a
 * member of another organization, a key of another organization and nobody.
 *
 * <p>Allow means the request got past authorization: not 401 or 403, and no {@code authorization.denied} event for
 * its request id (a target id that does not exist may still answer 404 — from the use case, not the Authorizer; the
 * bodies are empty objects, so allowed writes stop at validation and the matrix changes nothing). Deny means exactly
 * the status the access model gives (401 without a usable credential, 404 for strangers, 403 for a missing
 * permission) and, for 403 and 404, the denial event with that request id and its reason. The functions' own tests
 * prove that allowed requests with real bodies succeed.
 */
class AccessMatrixTest {

    /** Every organization route and its permission (docs/access-control.md "Routes"). */
    private static final Map<String, String> ROUTES = routes();

    /**
     * The administrator's reset of a member's second factor: authorized like every route, then for people only (it
     * needs a step-up), so a key holding the permission passes authorization and gets 403 {@code USER_REQUIRED}.
     */
    private static final String RESET_MFA = "DELETE /v1/orgs/{orgId}/members/{userId}/mfa";

    /** Routes for a signed-in user, with no organization in the path. */
    private static final Set<String> USER_ROUTES = Set.of("POST /v1/orgs", "GET /v1/orgs",
            "POST /v1/invitations/accept");

    @TempDir
    static Path dataDir;

    private static EmulatedTable table;
    private static Accounts accounts;
    private static DynamoDbAuditLog audit;
    private static Map<String, LambdaHarness> functions;

    private static Map<String, String> routes() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("POST /v1/orgs/{orgId}/api-keys", Permissions.API_KEY_CREATE);
        routes.put("GET /v1/orgs/{orgId}/api-keys", Permissions.API_KEY_READ);
        routes.put("GET /v1/orgs/{orgId}/api-keys/stats", Permissions.API_KEY_READ);
        routes.put("GET /v1/orgs/{orgId}/api-keys/{keyId}", Permissions.API_KEY_READ);
        routes.put("POST /v1/orgs/{orgId}/api-keys/{keyId}/revoke", Permissions.API_KEY_REVOKE);
        routes.put("POST /v1/orgs/{orgId}/api-keys/{keyId}/roll", Permissions.API_KEY_CREATE);
        routes.put("POST /v1/orgs/{orgId}/api-keys/{keyId}/credits", Permissions.API_KEY_CREATE);
        routes.put("PATCH /v1/orgs/{orgId}/api-keys/{keyId}", Permissions.API_KEY_CREATE);
        routes.put("GET /v1/orgs/{orgId}/api-keys/analytics", Permissions.API_KEY_READ);
        routes.put("GET /v1/orgs/{orgId}/api-keys/{keyId}/analytics", Permissions.API_KEY_READ);
        routes.put("DELETE /v1/orgs/{orgId}/api-keys/{keyId}", Permissions.API_KEY_DELETE);
        routes.put("GET /v1/orgs/{orgId}", Permissions.ORG_READ);
        routes.put("PATCH /v1/orgs/{orgId}", Permissions.ORG_UPDATE);
        routes.put("DELETE /v1/orgs/{orgId}", Permissions.ORG_DELETE);
        routes.put("GET /v1/orgs/{orgId}/members", Permissions.MEMBER_READ);
        routes.put("PATCH /v1/orgs/{orgId}/members/{userId}", Permissions.MEMBER_ROLE_UPDATE);
        routes.put("DELETE /v1/orgs/{orgId}/members/{userId}", Permissions.MEMBER_REMOVE);
        routes.put(RESET_MFA, Permissions.MEMBER_REMOVE);
        routes.put("POST /v1/orgs/{orgId}/invitations", Permissions.MEMBER_INVITE);
        routes.put("GET /v1/orgs/{orgId}/invitations", Permissions.MEMBER_INVITE);
        routes.put("DELETE /v1/orgs/{orgId}/invitations/{invitationId}", Permissions.MEMBER_INVITE);
        routes.put("POST /v1/orgs/{orgId}/teams", Permissions.TEAM_MANAGE);
        routes.put("GET /v1/orgs/{orgId}/teams", Permissions.TEAM_READ);
        routes.put("GET /v1/orgs/{orgId}/teams/{teamId}", Permissions.TEAM_READ);
        routes.put("PATCH /v1/orgs/{orgId}/teams/{teamId}", Permissions.TEAM_MANAGE);
        routes.put("DELETE /v1/orgs/{orgId}/teams/{teamId}", Permissions.TEAM_MANAGE);
        routes.put("PUT /v1/orgs/{orgId}/teams/{teamId}/members/{userId}", Permissions.TEAM_MANAGE);
        routes.put("DELETE /v1/orgs/{orgId}/teams/{teamId}/members/{userId}", Permissions.TEAM_MANAGE);
        routes.put("POST /v1/orgs/{orgId}/resources", Permissions.RESOURCE_MANAGE);
        routes.put("GET /v1/orgs/{orgId}/resources", Permissions.RESOURCE_READ);
        routes.put("GET /v1/orgs/{orgId}/resources/{resourceId}", Permissions.RESOURCE_READ);
        routes.put("PATCH /v1/orgs/{orgId}/resources/{resourceId}", Permissions.RESOURCE_MANAGE);
        routes.put("DELETE /v1/orgs/{orgId}/resources/{resourceId}", Permissions.RESOURCE_MANAGE);
        routes.put("GET /v1/orgs/{orgId}/resources/{resourceId}/grants", Permissions.RESOURCE_READ);
        routes.put("PUT /v1/orgs/{orgId}/resources/{resourceId}/grants/{granteeId}", Permissions.RESOURCE_MANAGE);
        routes.put("DELETE /v1/orgs/{orgId}/resources/{resourceId}/grants/{granteeId}", Permissions.RESOURCE_MANAGE);
        routes.put("POST /v1/orgs/{orgId}/clients", Permissions.CLIENT_CREATE);
        routes.put("GET /v1/orgs/{orgId}/clients", Permissions.CLIENT_READ);
        routes.put("GET /v1/orgs/{orgId}/clients/{clientId}", Permissions.CLIENT_READ);
        routes.put("PATCH /v1/orgs/{orgId}/clients/{clientId}", Permissions.CLIENT_CREATE);
        routes.put("DELETE /v1/orgs/{orgId}/clients/{clientId}", Permissions.CLIENT_DELETE);
        routes.put("POST /v1/orgs/{orgId}/clients/{clientId}/secrets", Permissions.CLIENT_CREATE);
        routes.put("POST /v1/orgs/{orgId}/applications", Permissions.CLIENT_CREATE);
        routes.put("GET /v1/orgs/{orgId}/applications", Permissions.CLIENT_READ);
        routes.put("GET /v1/orgs/{orgId}/applications/{clientId}", Permissions.CLIENT_READ);
        routes.put("PATCH /v1/orgs/{orgId}/applications/{clientId}", Permissions.CLIENT_CREATE);
        routes.put("DELETE /v1/orgs/{orgId}/applications/{clientId}", Permissions.CLIENT_DELETE);
        routes.put("POST /v1/orgs/{orgId}/applications/{clientId}/secret", Permissions.CLIENT_CREATE);
        routes.put("POST /v1/orgs/{orgId}/applications/{clientId}/keys", Permissions.CLIENT_CREATE);
        routes.put("DELETE /v1/orgs/{orgId}/applications/{clientId}/keys/{keyId}", Permissions.CLIENT_DELETE);
        routes.put("DELETE /v1/orgs/{orgId}/clients/{clientId}/secrets/{secretId}", Permissions.CLIENT_DELETE);
        routes.put("POST /v1/orgs/{orgId}/clients/{clientId}/keys", Permissions.CLIENT_CREATE);
        routes.put("DELETE /v1/orgs/{orgId}/clients/{clientId}/keys/{keyId}", Permissions.CLIENT_DELETE);
        routes.put("GET /v1/orgs/{orgId}/audit-events", Permissions.AUDIT_LOG_VIEW);
        return routes;
    }

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        accounts = Accounts.in(table);
        audit = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, Clock.systemUTC());
        Map<String, String> variables = new LinkedHashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", dataDir.toString());
        functions = Map.of(
                "orgs", LambdaHarness.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, variables),
                "api-keys", LambdaHarness.start(ApiKeysApplication.class.getName(), ApiKeysApplication.FUNCTION,
                        variables));
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    /** What a caller should get on a route that needs a permission. */
    private enum Outcome {
        ALLOWED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND
    }

    /** One kind of caller: its credential headers, and the outcome the access model gives it for a permission. */
    private record Caller(String name, Function<String, Map<String, String>> headers,
            Function<String, Outcome> outcome) {
    }

    private static Outcome byRole(Role role, String permission) {
        return role.permissions().contains(permission) ? Outcome.ALLOWED : Outcome.FORBIDDEN;
    }

    /** The route's path with its organization and fresh, well-formed ids of things that do not exist. */
    private static String path(String route, String organizationId) {
        String path = route.substring(route.indexOf(' ') + 1).replace("{orgId}", organizationId);
        var ids = accounts.ids();
        path = path.replace("{userId}", ids.next(IdPrefix.USER))
                .replace("{invitationId}", ids.next(IdPrefix.INVITATION))
                .replace("{teamId}", ids.next(IdPrefix.TEAM))
                .replace("{resourceId}", ids.next(IdPrefix.RESOURCE))
                .replace("{granteeId}", ids.next(IdPrefix.USER))
                .replace("{clientId}", ids.next(IdPrefix.CLIENT))
                .replace("{secretId}", ids.next(IdPrefix.CLIENT_SECRET));
        return path.replace("{keyId}", route.contains("/clients/") ? ids.next(IdPrefix.CLIENT_KEY)
                : ids.next(IdPrefix.API_KEY));
    }

    private record Sent(String requestId, LambdaHarness.Response response) {
    }

    private static Sent send(String route, String path, Map<String, String> headers) {
        String method = route.substring(0, route.indexOf(' '));
        Object body = Set.of("POST", "PUT", "PATCH").contains(method) ? Map.of() : null;
        String event = HttpEvents.event(method, path, "", headers, body);
        String requestId = Json.mapper().readTree(event).path("requestContext").path("requestId").asString();
        String function = ApiCatalog.match(method, path).orElseThrow().function().name();
        return new Sent(requestId, functions.get(function).invoke(event));
    }

    private static Optional<AuditEvent> denial(String organizationId, String requestId) {
        return audit.find(organizationId, AuditQuery.builder().action("authorization.denied")
                .from(Instant.now().minusSeconds(3600)).limit(100).build()).events().stream()
                .filter(e -> e.requestId().equals(requestId)).findFirst();
    }

    private static String createKey(Person owner, String organizationId, List<String> permissions) {
        var created = functions.get("api-keys").invoke(HttpEvents.event("POST", "/v1/orgs/" + organizationId
                + "/api-keys", "", HttpEvents.bearer(owner.accessToken()), Map.of("name", "matrix",
                "permissions", permissions)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.bodyJson().path("key").asString();
    }

    private static void joinTeam(Person person, String organizationId) {
        String teamId = accounts.ids().next(IdPrefix.TEAM);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(LatchkeyTable.PK, AttributeValue.fromS("ORG#" + organizationId));
        item.put(LatchkeyTable.SK, AttributeValue.fromS("TEAMMEMBER#" + person.userId() + "#" + teamId));
        item.put(LatchkeyTable.GSI1_PK, AttributeValue.fromS("TEAM#" + teamId));
        item.put(LatchkeyTable.GSI1_SK, AttributeValue.fromS("MEMBER#" + person.userId()));
        item.put("type", AttributeValue.fromS("TEAM_MEMBER"));
        item.put("teamId", AttributeValue.fromS(teamId));
        item.put("userId", AttributeValue.fromS(person.userId()));
        table.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(item));
    }

    @Test
    @DisplayName("the matrix covers every organization route of the catalog's orgs and api-keys functions")
    void matrixCoversEveryOrganizationRoute() {
        Set<String> catalog = new TreeSet<>();
        for (String function : List.of("orgs", "api-keys")) {
            ApiCatalog.function(function).routes().forEach(r -> catalog.add(r.key()));
        }
        catalog.remove("POST /v1/api-keys/verify");
        catalog.removeAll(USER_ROUTES);
        assertThat(new TreeSet<>(ROUTES.keySet())).isEqualTo(catalog);
        assertThat(ROUTES.values()).allSatisfy(p -> assertThat(Permissions.isLatchkey(p)).as(p).isTrue());
        assertThat(Set.copyOf(ROUTES.values())).as("every Latchkey permission guards some route")
                .isEqualTo(Permissions.LATCHKEY);
    }

    @Test
    @DisplayName("[8.2.1] every organization route × owner, admin, member, viewer, team member, client, keys with "
            + "and without the permission, another organization's member and key, nobody: allowed or denied as the "
            + "model says")
    void everyRouteAndCallerIsAllowedOrDeniedAsTheAccessModelSays() {
        Person owner = accounts.person("matrix-owner@example.com", true);
        String org = owner.personalOrganizationId();
        Map<Role, Person> members = new LinkedHashMap<>();
        for (Role role : List.of(Role.ADMIN, Role.MEMBER, Role.VIEWER)) {
            Person person = accounts.person("matrix-" + role.text() + "@example.com", true);
            accounts.join(person, org, role);
            members.put(role, person);
        }
        Person teamMember = accounts.person("matrix-team@example.com", true);
        accounts.join(teamMember, org, Role.MEMBER);
        joinTeam(teamMember, org);
        Person stranger = accounts.person("matrix-stranger@example.com", true);
        String strangerKey = createKey(stranger, stranger.personalOrganizationId(),
                List.copyOf(Permissions.LATCHKEY));
        String keyWithout = createKey(owner, org, List.of("read_models"));
        Map<String, String> keyWith = new LinkedHashMap<>();
        for (String permission : Permissions.LATCHKEY) {
            keyWith.put(permission, createKey(owner, org, List.of(permission)));
        }
        String clientToken = accounts.clientToken(accounts.ids().next(IdPrefix.CLIENT), org,
                "https://api.example.com", List.of("read"));

        List<Caller> callers = new ArrayList<>();
        callers.add(new Caller("owner", p -> HttpEvents.bearer(owner.accessToken()), p -> byRole(Role.OWNER, p)));
        members.forEach((role, person) -> callers.add(new Caller(role.text(),
                p -> HttpEvents.bearer(person.accessToken()), p -> byRole(role, p))));
        callers.add(new Caller("team member", p -> HttpEvents.bearer(teamMember.accessToken()),
                p -> byRole(Role.MEMBER, p)));
        callers.add(new Caller("service client", p -> HttpEvents.bearer(clientToken), p -> Outcome.UNAUTHENTICATED));
        callers.add(new Caller("key with the permission", p -> HttpEvents.apiKey(keyWith.get(p)),
                p -> Outcome.ALLOWED));
        callers.add(new Caller("key without it", p -> HttpEvents.apiKey(keyWithout), p -> Outcome.FORBIDDEN));
        callers.add(new Caller("member of another organization", p -> HttpEvents.bearer(stranger.accessToken()),
                p -> Outcome.NOT_FOUND));
        callers.add(new Caller("key of another organization", p -> HttpEvents.apiKey(strangerKey),
                p -> Outcome.NOT_FOUND));
        callers.add(new Caller("nobody", p -> Map.of(), p -> Outcome.UNAUTHENTICATED));

        SoftAssertions softly = new SoftAssertions();
        int checked = 0;
        for (Map.Entry<String, String> route : ROUTES.entrySet()) {
            for (Caller caller : callers) {
                Sent sent = send(route.getKey(), path(route.getKey(), org), caller.headers().apply(route.getValue()));
                Outcome expected = caller.outcome().apply(route.getValue());
                String where = route.getKey() + " as " + caller.name() + " → " + sent.response().status() + " "
                        + sent.response().body();
                Optional<AuditEvent> denial = denial(org, sent.requestId());
                switch (expected) {
                    case ALLOWED -> {
                        if (route.getKey().equals(RESET_MFA) && caller.name().startsWith("key")) {
                            softly.assertThat(sent.response().status()).as(where).isEqualTo(403);
                            softly.assertThat(sent.response().errorReason()).as(where).isEqualTo("USER_REQUIRED");
                        } else {
                            softly.assertThat(sent.response().status()).as(where).isNotIn(401, 403);
                        }
                        softly.assertThat(denial).as(where + ": no denial event").isEmpty();
                    }
                    case UNAUTHENTICATED -> softly.assertThat(sent.response().status()).as(where).isEqualTo(401);
                    case FORBIDDEN -> {
                        softly.assertThat(sent.response().status()).as(where).isEqualTo(403);
                        softly.assertThat(denial.map(e -> e.details().get("reason"))).as(where)
                                .contains("MISSING_PERMISSION");
                    }
                    case NOT_FOUND -> {
                        softly.assertThat(sent.response().status()).as(where).isEqualTo(404);
                        softly.assertThat(denial.map(e -> e.details().get("reason"))).as(where)
                                .contains("NOT_A_MEMBER");
                    }
                    default -> throw new IllegalStateException();
                }
                checked++;
            }
        }
        softly.assertAll();
        assertThat(checked).isEqualTo(ROUTES.size() * callers.size());
    }

    @Test
    @DisplayName("the user routes (create and list organizations, accept an invitation): people only — a key is 403 "
            + "USER_REQUIRED, a client's token and nobody 401")
    void userRoutesAreForPeopleOnly() {
        Person person = accounts.person("matrix-user@example.com", true);
        String key = createKey(person, person.personalOrganizationId(), List.copyOf(Permissions.LATCHKEY));
        String clientToken = accounts.clientToken(accounts.ids().next(IdPrefix.CLIENT),
                person.personalOrganizationId(), "https://api.example.com", List.of());
        SoftAssertions softly = new SoftAssertions();
        for (String route : USER_ROUTES) {
            String path = route.substring(route.indexOf(' ') + 1);
            var asPerson = send(route, path, HttpEvents.bearer(person.accessToken())).response();
            softly.assertThat(asPerson.status()).as(route + " as a person: " + asPerson.body()).isNotIn(401, 403);
            var asKey = send(route, path, HttpEvents.apiKey(key)).response();
            softly.assertThat(asKey.status()).as(route + " as a key").isEqualTo(403);
            softly.assertThat(asKey.bodyJson().path("error").path("details").path("reason").asString())
                    .as(route + " as a key").isEqualTo("USER_REQUIRED");
            softly.assertThat(send(route, path, HttpEvents.bearer(clientToken)).response().status())
                    .as(route + " as a client").isEqualTo(401);
            softly.assertThat(send(route, path, Map.of()).response().status()).as(route + " as nobody")
                    .isEqualTo(401);
        }
        softly.assertAll();
    }
}
