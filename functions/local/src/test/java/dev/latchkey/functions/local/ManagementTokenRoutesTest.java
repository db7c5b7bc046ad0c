package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.functions.apikeys.ApiKeysApplication;
import dev.latchkey.functions.login.LoginApplication;
import dev.latchkey.functions.orgs.OrgsApplication;
import dev.latchkey.functions.passkey.PasskeyApplication;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §1 and §2 across every route that takes a user's access token — every organization and API-key route,
 * {@code /v1/users/me…}, passkey registration and management — through each function's real Lambda entry
 * ({@code FunctionInvoker}) on one emulated table: a token whose session ended, a revoked token, and a resource
 * token of a live session whose audience is the issuer are all 401 {@code invalid_token}, on every one of them. The
 * routes come from the catalog, so a new route is covered without editing this test.
 */
class ManagementTokenRoutesTest {

    @TempDir
    static Path dataDir;

    private static EmulatedTable table;
    private static Accounts accounts;
    private static Map<String, LambdaHarness> functions;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        accounts = Accounts.in(table);
        Map<String, String> variables = new LinkedHashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", dataDir.toString());
        functions = Map.of(
                "orgs", LambdaHarness.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, variables),
                "api-keys", LambdaHarness.start(ApiKeysApplication.class.getName(), ApiKeysApplication.FUNCTION,
                        variables),
                "login", LambdaHarness.start(LoginApplication.class.getName(), LoginApplication.FUNCTION, variables),
                "passkey", LambdaHarness.start(PasskeyApplication.class.getName(), PasskeyApplication.FUNCTION,
                        variables));
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    /** Every route of the catalog that authenticates a user's access token. */
    private static Set<String> bearerRoutes() {
        Set<String> routes = new TreeSet<>();
        for (String function : List.of("orgs", "api-keys", "login", "passkey")) {
            ApiCatalog.function(function).routes().forEach(route -> {
                String path = route.key().substring(route.key().indexOf(' ') + 1);
                boolean bearer = switch (function) {
                    case "orgs", "api-keys" -> !path.equals("/v1/api-keys/verify");
                    case "login" -> path.startsWith("/v1/users/me");
                    default -> path.startsWith("/v1/users/me") || path.contains("/register/");
                };
                if (bearer) {
                    routes.add(route.key());
                }
            });
        }
        return routes;
    }

    private static String path(String route, String organizationId) {
        var ids = accounts.ids();
        return route.substring(route.indexOf(' ') + 1).replace("{orgId}", organizationId)
                .replace("{userId}", ids.next(IdPrefix.USER))
                .replace("{invitationId}", ids.next(IdPrefix.INVITATION))
                .replace("{teamId}", ids.next(IdPrefix.TEAM))
                .replace("{resourceId}", ids.next(IdPrefix.RESOURCE))
                .replace("{granteeId}", ids.next(IdPrefix.USER))
                .replace("{clientId}", ids.next(IdPrefix.CLIENT))
                .replace("{secretId}", ids.next(IdPrefix.CLIENT_SECRET))
                .replace("{sessionId}", ids.next(IdPrefix.SESSION))
                .replace("{passkeyId}", ids.next(IdPrefix.PASSKEY))
                .replace("{keyId}", route.contains("/clients/") ? ids.next(IdPrefix.CLIENT_KEY)
                        : ids.next(IdPrefix.API_KEY));
    }

    private static LambdaHarness.Response send(String route, String organizationId, String token) {
        String method = route.substring(0, route.indexOf(' '));
        String path = path(route, organizationId);
        Object body = Set.of("POST", "PUT", "PATCH").contains(method) ? Map.of() : null;
        String function = ApiCatalog.match(method, path).orElseThrow().function().name();
        return functions.get(function).invoke(HttpEvents.event(method, path, "", HttpEvents.bearer(token), body));
    }

    @Test
    @DisplayName("Issue 11 §1/§2/§5: on every route that takes a user's token — an ended session's token, a revoked "
            + "token and a resource token with the issuer as audience → 401 invalid_token; the live token is let in")
    void everyBearerRouteRefusesEndedRevokedAndResourceTokens() {
        Set<String> routes = bearerRoutes();
        assertThat(routes).as("organization, API-key, /v1/users/me and passkey routes").hasSizeGreaterThan(40)
                .contains("GET /v1/users/me", "POST /v1/orgs/{orgId}/api-keys", "POST /v1/orgs/{orgId}/clients",
                        "PATCH /v1/orgs/{orgId}/members/{userId}", "POST /v1/auth/passkeys/register/options",
                        "DELETE /v1/users/me/sessions/{sessionId}");
        Person ended = accounts.person("ended-" + accounts.ids().next(IdPrefix.USER).toLowerCase() + "@example.com",
                true);
        Person revoked = accounts.person("revoked-" + accounts.ids().next(IdPrefix.USER).toLowerCase()
                + "@example.com", true);
        Person live = accounts.person("live-" + accounts.ids().next(IdPrefix.USER).toLowerCase() + "@example.com",
                true);
        accounts.endSession(ended);
        accounts.revokeAccessToken(revoked);
        String resourceToken = accounts.resourceToken(live, LambdaHarness.ISSUER);

        SoftAssertions softly = new SoftAssertions();
        for (String route : routes) {
            Map<String, Person> cases = Map.of("ended session", ended, "revoked token", revoked);
            cases.forEach((name, person) -> {
                var response = send(route, person.personalOrganizationId(), person.accessToken());
                softly.assertThat(response.status()).as(route + " with a " + name + ": " + response.body())
                        .isEqualTo(401);
                softly.assertThat(response.header("www-authenticate")).as(route + " with a " + name)
                        .isEqualTo("Bearer error=\"invalid_token\"");
            });
            var resource = send(route, live.personalOrganizationId(), resourceToken);
            softly.assertThat(resource.status()).as(route + " with a resource token: " + resource.body())
                    .isEqualTo(401);
            softly.assertThat(resource.header("www-authenticate")).as(route + " with a resource token")
                    .isEqualTo("Bearer error=\"invalid_token\"");
            var allowed = send(route, live.personalOrganizationId(), live.accessToken());
            softly.assertThat(allowed.status()).as(route + " with the live management token: " + allowed.body())
                    .isNotEqualTo(401);
        }
        softly.assertAll();
    }
}
