package dev.latchkey.infrastructure.deploy;

import dev.latchkey.core.http.ApiRoutes;
import dev.latchkey.core.http.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * How Latchkey is deployed: every function, the names the deployment knows it by (Spring Cloud Function bean,
 * SAM logical id, Maven folder, {@code MAIN_CLASS}) and the areas of {@link ApiRoutes} it serves — the one
 * declaration that {@code template.yaml}, {@code terraform/}, {@code docs/openapi.yaml}, {@code events/}, the
 * local server and the function tests are checked against. The routes themselves are core's ({@link ApiRoutes});
 * this class only says which function serves them, so core knows no deployment name.
 *
 * <p>The {@code $default} route (anything no other route matches) goes to the health function,
 * which answers 404 or 405 in the standard error body.
 */
public final class ApiCatalog {

    /** API Gateway's catch-all route key. */
    public static final String DEFAULT_ROUTE_KEY = "$default";

    /**
     * One deployable function.
     *
     * @param name the Spring Cloud Function bean name ({@code SPRING_CLOUD_FUNCTION_DEFINITION})
     * @param logicalId the resource name in {@code template.yaml}
     * @param module the Maven module folder under {@code functions/}
     * @param mainClass the {@code MAIN_CLASS} of its Lambda
     * @param routes the routes it serves
     * @param servesDefaultRoute whether API Gateway's {@code $default} route goes to it
     * @param trigger what invokes it
     */
    public record FunctionSpec(String name, String logicalId, String module, String mainClass, List<Route> routes,
            boolean servesDefaultRoute, Trigger trigger) {

        /** Copies the routes; a scheduled function has none. */
        public FunctionSpec {
            routes = List.copyOf(routes);
            if (trigger == Trigger.SCHEDULE && (!routes.isEmpty() || servesDefaultRoute)) {
                throw new IllegalArgumentException("a scheduled function serves no route");
            }
        }

        /** Whether API Gateway invokes it. */
        public boolean isHttp() {
            return trigger == Trigger.HTTP;
        }
    }

    /** What invokes a function. */
    public enum Trigger {
        /** API Gateway HTTP API routes (payload 2.0 events). */
        HTTP,
        /** An EventBridge schedule. */
        SCHEDULE
    }

    private static final List<FunctionSpec> FUNCTIONS = List.of(
            new FunctionSpec("health", "HealthFunction", "health", "dev.latchkey.functions.health.HealthApplication",
                    ApiRoutes.HEALTH, true, Trigger.HTTP),
            new FunctionSpec("register", "RegisterFunction", "register",
                    "dev.latchkey.functions.register.RegisterApplication", ApiRoutes.REGISTRATION, false, Trigger.HTTP),
            new FunctionSpec("login", "LoginFunction", "login", "dev.latchkey.functions.login.LoginApplication",
                    Stream.concat(ApiRoutes.LOGIN.stream(), ApiRoutes.MFA.stream()).toList(), false, Trigger.HTTP),
            new FunctionSpec("token", "TokenFunction", "token", "dev.latchkey.functions.token.TokenApplication",
                    ApiRoutes.OAUTH, false, Trigger.HTTP),
            new FunctionSpec("jwks", "JwksFunction", "jwks", "dev.latchkey.functions.jwks.JwksApplication",
                    ApiRoutes.METADATA, false, Trigger.HTTP),
            new FunctionSpec("api-keys", "ApiKeysFunction", "api-keys",
                    "dev.latchkey.functions.apikeys.ApiKeysApplication", ApiRoutes.API_KEYS, false, Trigger.HTTP),
            new FunctionSpec("passkey", "PasskeyFunction", "passkey",
                    "dev.latchkey.functions.passkey.PasskeyApplication", ApiRoutes.PASSKEYS, false, Trigger.HTTP),
            new FunctionSpec("orgs", "OrgsFunction", "orgs", "dev.latchkey.functions.orgs.OrgsApplication",
                    ApiRoutes.ORGANIZATIONS, false, Trigger.HTTP),
            new FunctionSpec("signin", "SigninFunction", "signin", "dev.latchkey.functions.signin.SigninApplication",
                    ApiRoutes.SIGN_IN, false, Trigger.HTTP),
            new FunctionSpec("rotate-keys", "RotateKeysFunction", "rotate-keys",
                    "dev.latchkey.functions.rotatekeys.RotateKeysApplication", List.of(), false, Trigger.SCHEDULE));

    /** Which function serves each route (first in {@link #FUNCTIONS} order), for {@link #match} per request. */
    private static final Map<Route, FunctionSpec> SERVED_BY = servedBy();

    private ApiCatalog() {
    }

    private static Map<Route, FunctionSpec> servedBy() {
        Map<Route, FunctionSpec> servedBy = new HashMap<>();
        FUNCTIONS.forEach(f -> f.routes().forEach(r -> servedBy.putIfAbsent(r, f)));
        return Map.copyOf(servedBy);
    }

    /** Every function, in a stable order. */
    public static List<FunctionSpec> functions() {
        return FUNCTIONS;
    }

    /** The function with this bean name. */
    public static FunctionSpec function(String name) {
        return FUNCTIONS.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + name));
    }

    /** The function serving API Gateway's {@code $default} route. */
    public static FunctionSpec defaultRouteFunction() {
        return FUNCTIONS.stream().filter(FunctionSpec::servesDefaultRoute).findFirst().orElseThrow();
    }

    /** Every route key of the API, {@code $default} included. */
    public static Set<String> routeKeys() {
        Set<String> keys = new TreeSet<>();
        FUNCTIONS.forEach(f -> f.routes().forEach(r -> keys.add(r.key())));
        keys.add(DEFAULT_ROUTE_KEY);
        return keys;
    }

    /**
     * The route API Gateway would pick for a request ({@link ApiRoutes#match}: literal segments beat variables)
     * and the function serving it.
     */
    public static Optional<Match> match(String method, String path) {
        return ApiRoutes.match(method, path).map(m -> new Match(Optional.ofNullable(SERVED_BY.get(m.route()))
                .orElseThrow(() -> new IllegalStateException("no function serves " + m.route())),
                m.route(), m.pathParameters()));
    }

    /** The methods any function serves on this path (for the {@code Allow} header). */
    public static Set<String> allowedMethods(String path) {
        return ApiRoutes.allowedMethods(path);
    }

    /**
     * A matched route.
     *
     * @param function the function serving it
     * @param route the route
     * @param pathParameters its variables' values
     */
    public record Match(FunctionSpec function, Route route, Map<String, String> pathParameters) {
    }
}
