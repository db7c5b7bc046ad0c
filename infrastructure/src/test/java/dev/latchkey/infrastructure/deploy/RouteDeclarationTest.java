package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.infrastructure.deploy.ApiCatalog.FunctionSpec;
import dev.latchkey.core.http.Route;
import dev.latchkey.infrastructure.testing.Events;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue #13 "Routes declared once", the deployment-file side: {@link ApiCatalog} is the one declaration of functions
 * and routes; {@code terraform/routes.json} is generated from it (and Terraform builds its functions and routes from
 * that file), {@code events/} is checked against it here, {@code template.yaml} by {@link SamTemplateTest},
 * {@code terraform/} by {@link TerraformTest} and {@code docs/openapi.yaml} by {@link OpenApiTest}.
 */
class RouteDeclarationTest {

    private static final String WRITE = "latchkey.routes.write";

    /**
     * The committed {@code terraform/routes.json} is exactly what the declaration renders. After a route or function
     * change, regenerate it with
     * {@code ./mvnw -B verify -pl infrastructure -Dtest=RouteDeclarationTest -Dlatchkey.routes.write=true}.
     */
    @Test
    void whenTheDeclarationChangesThenTerraformRoutesJsonIsRegeneratedFromIt() throws IOException {
        String expected = RoutesJson.render();
        Path file = RoutesJson.path();
        if (Boolean.getBoolean(WRITE)) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertThat(file).as(RoutesJson.PATH + " (regenerate with -D" + WRITE + "=true)").exists();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as(RoutesJson.PATH + " is stale: regenerate it with -D" + WRITE + "=true").isEqualTo(expected);
    }

    @Test
    void whenRoutesJsonIsReadThenItHoldsEveryDeclaredFunctionAndRouteOnce() throws IOException {
        JsonNode json = new ObjectMapper().readTree(RoutesJson.path().toFile());
        List<String> routes = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        json.get("functions").properties().forEach(f -> {
            functions.add(f.getKey());
            f.getValue().get("routes").forEach(r -> routes.add(r.asText()));
            assertThat(f.getValue().get("trigger").asText()).as(f.getKey()).isIn("http", "schedule");
        });
        assertThat(functions).containsExactlyElementsOf(ApiCatalog.functions().stream().map(FunctionSpec::name)
                .toList());
        assertThat(routes).as("a route key in two functions would collapse in Terraform's merge()")
                .doesNotHaveDuplicates();
        Set<String> all = new TreeSet<>(routes);
        all.add(ApiCatalog.DEFAULT_ROUTE_KEY);
        assertThat(all).isEqualTo(ApiCatalog.routeKeys());
        assertThat(json.get("default_route_function").asText()).isEqualTo(ApiCatalog.defaultRouteFunction().name());
    }

    @Test
    void whenRenderedThenTheDeclarationIsValidJsonWithAStableOrder() throws IOException {
        JsonNode rendered = new ObjectMapper().readTree(RoutesJson.render());
        assertThat(rendered.get("functions").get("orgs").get("routes").get(0).asText())
                .isEqualTo(ApiCatalog.function("orgs").routes().get(0).key());
        assertThat(RoutesJson.render()).isEqualTo(RoutesJson.render()).endsWith("}\n");
    }

    /**
     * {@code events/<folder>/*.json}: every folder is a declared function's module; every HTTP event's
     * {@code routeKey} (top level and request context) is the route API Gateway would pick for its method and path,
     * and that route belongs to the folder's function — or it is {@code $default}, sent to the function that serves
     * it, for a path no route matches. The scheduled function's events are EventBridge scheduled events.
     */
    @Test
    void whenAnEventIsSampledThenItIsARouteOfItsFunction() throws IOException {
        Set<String> modules = ApiCatalog.functions().stream().map(FunctionSpec::module).collect(Collectors.toSet());
        Path events = Events.repositoryRoot().resolve("events");
        try (Stream<Path> folders = Files.list(events)) {
            assertThat(folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList())
                    .isNotEmpty().allSatisfy(folder -> assertThat(modules).as("events/" + folder).contains(folder));
        }
        List<Path> files = Events.all();
        assertThat(files).hasSizeGreaterThan(ApiCatalog.functions().size());
        ObjectMapper mapper = new ObjectMapper();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String folder = file.getParent().getFileName().toString();
            FunctionSpec function = ApiCatalog.functions().stream().filter(f -> f.module().equals(folder))
                    .findFirst().orElseThrow();
            JsonNode event = mapper.readTree(file.toFile());
            String name = events.relativize(file).toString();
            if (!function.isHttp()) {
                if (!"aws.events".equals(event.path("source").asText())
                        || !"Scheduled Event".equals(event.path("detail-type").asText())) {
                    problems.add(name + ": not an EventBridge scheduled event");
                }
                continue;
            }
            problems.addAll(httpEventProblems(name, function, event));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void eventCheckRejectsARouteOfAnotherFunctionAndAnUndeclaredRoute() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode ready = mapper.readTree(Events.of("health").stream()
                .filter(p -> p.getFileName().toString().equals("ready.json")).findFirst().orElseThrow().toFile());
        assertThat(httpEventProblems("ready.json", ApiCatalog.function("health"), ready)).isEmpty();
        assertThat(httpEventProblems("ready.json", ApiCatalog.function("jwks"), ready))
                .anySatisfy(p -> assertThat(p).contains("served by health, not jwks"));
        JsonNode undeclared = mapper.readTree(ready.toString().replace("GET /health/ready", "GET /health/gone"));
        assertThat(httpEventProblems("gone.json", ApiCatalog.function("health"), undeclared)).isNotEmpty();
    }

    private static List<String> httpEventProblems(String name, FunctionSpec function, JsonNode event) {
        List<String> problems = new ArrayList<>();
        String routeKey = event.path("routeKey").asText();
        if (!routeKey.equals(event.path("requestContext").path("routeKey").asText())) {
            problems.add(name + ": routeKey and requestContext.routeKey differ");
        }
        String method = event.path("requestContext").path("http").path("method").asText();
        String path = event.path("requestContext").path("http").path("path").asText();
        Optional<ApiCatalog.Match> match = ApiCatalog.match(method, path);
        String expected = match.map(m -> m.route().key()).orElse(ApiCatalog.DEFAULT_ROUTE_KEY);
        FunctionSpec target = match.map(ApiCatalog.Match::function).orElse(ApiCatalog.defaultRouteFunction());
        if (!routeKey.equals(expected)) {
            problems.add(name + ": routeKey " + routeKey + " but API Gateway routes " + method + " " + path
                    + " to " + expected);
        }
        if (!target.name().equals(function.name())) {
            problems.add(name + ": " + expected + " is served by " + target.name() + ", not " + function.name());
        }
        if (match.isPresent() && function.routes().stream().map(Route::key).noneMatch(routeKey::equals)) {
            problems.add(name + ": " + routeKey + " is not declared for " + function.name());
        }
        return problems;
    }
}
