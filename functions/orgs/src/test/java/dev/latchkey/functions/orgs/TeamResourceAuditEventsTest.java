package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every {@code events/orgs/team-*.json}, {@code resource-*.json}, {@code grant-*.json} and {@code audit-*.json}
 * through the real Lambda entry point ({@code FunctionInvoker}): each is a catalog route, answers its documented
 * status in the standard error body, and every team, resource, grant and audit route has an event. The other
 * prefixes of the folder belong to {@link OrganizationsFunctionInvokerTest} ({@code org-}, {@code member-},
 * {@code invitation-}) and {@link ClientsFunctionInvokerTest} ({@code client-}); no file is left without a test.
 */
class TeamResourceAuditEventsTest {

    private static final List<String> PREFIXES = List.of("team-", "resource-", "grant-", "audit-");
    private static final List<String> ALL_PREFIXES = List.of("org-", "member-", "invitation-", "team-", "resource-",
            "grant-", "audit-", "client-", "mfa-", "application-");

    @TempDir
    static Path dataDir;

    private static EmulatedTable table;
    private static LambdaHarness lambda;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        Map<String, String> variables = new LinkedHashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", dataDir.toString());
        lambda = LambdaHarness.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, variables);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void everyEventAnswersItsDocumentedStatusThroughFunctionInvoker() throws IOException {
        List<Path> files = Events.of("orgs").stream()
                .filter(p -> PREFIXES.stream().anyMatch(p.getFileName().toString()::startsWith)).toList();
        assertThat(files).hasSizeGreaterThanOrEqualTo(18);
        Set<String> routes = new HashSet<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String text = Files.readString(file);
            JsonNode event = Json.mapper().readTree(text);
            assertThat(ApiCatalog.match(event.path("requestContext").path("http").path("method").asString(),
                    event.path("rawPath").asString())).as(name + " is a catalog route of the orgs function")
                    .hasValueSatisfying(m -> {
                        assertThat(m.route().key()).isEqualTo(event.path("routeKey").asString());
                        assertThat(m.function().name()).isEqualTo(OrgsApplication.FUNCTION);
                        assertThat(m.pathParameters()).isEqualTo(Json.mapper().convertValue(
                                event.path("pathParameters"), Map.class));
                    });
            routes.add(event.path("routeKey").asString());
            var response = lambda.invoke(text);
            JsonNode error = response.bodyJson().path("error");
            if (name.endsWith("-without-credential.json")) {
                assertThat(response.status()).as(name + " " + response.body()).isEqualTo(401);
                assertThat(error.path("code").asString()).as(name).isEqualTo("AUTHENTICATION_FAILED");
                assertThat(response.header("www-authenticate")).as(name).isEqualTo("Bearer");
            } else {
                assertThat(name).endsWith("-key-in-query.json");
                assertThat(response.status()).as(name + " " + response.body()).isEqualTo(400);
                assertThat(error.path("code").asString()).as(name).isEqualTo("VALIDATION_ERROR");
                assertThat(error.path("details").path("reason").asString()).as(name).isEqualTo("CREDENTIAL_IN_QUERY");
            }
            assertThat(response.body()).as(name + " never echoes a credential").doesNotContain("lk_");
        }
        Set<String> expected = new HashSet<>();
        ApiCatalog.function(OrgsApplication.FUNCTION).routes().stream().map(r -> r.key())
                .filter(k -> k.contains("/teams") || k.contains("/resources") || k.contains("/audit-events"))
                .forEach(expected::add);
        assertThat(routes).as("an event for every team, resource, grant and audit route").isEqualTo(expected);
    }

    @Test
    void everyEventFileOfTheFolderBelongsToATest() {
        assertThat(Events.of("orgs")).allSatisfy(p -> assertThat(ALL_PREFIXES.stream()
                .anyMatch(p.getFileName().toString()::startsWith)).as(p.getFileName().toString()).isTrue());
    }
}
