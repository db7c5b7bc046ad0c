package dev.latchkey.core.http;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every function of Latchkey and the routes it serves: the one list that {@code template.yaml},
 * {@code terraform/}, the local server and each function's router are checked against.
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
                    routes("GET /health", "GET /health/live", "GET /health/ready"), true, Trigger.HTTP),
            new FunctionSpec("register", "RegisterFunction", "register",
                    "dev.latchkey.functions.register.RegisterApplication",
                    routes("POST /v1/auth/register", "POST /v1/auth/email/verify", "POST /v1/auth/email/verify/resend"),
                    false, Trigger.HTTP),
            new FunctionSpec("login", "LoginFunction", "login", "dev.latchkey.functions.login.LoginApplication",
                    routes("POST /v1/auth/login/password", "POST /v1/auth/logout", "GET /v1/users/me",
                            "POST /v1/users/me/password", "POST /v1/auth/password/forgot",
                            "POST /v1/auth/password/reset", "GET /v1/users/me/sessions",
                            "DELETE /v1/users/me/sessions/{sessionId}"), false, Trigger.HTTP),
            new FunctionSpec("token", "TokenFunction", "token", "dev.latchkey.functions.token.TokenApplication",
                    routes("POST /oauth/token", "POST /oauth/revoke", "POST /oauth/introspect"), false, Trigger.HTTP),
            new FunctionSpec("jwks", "JwksFunction", "jwks", "dev.latchkey.functions.jwks.JwksApplication",
                    routes("GET /.well-known/jwks.json", "GET /.well-known/openid-configuration",
                            "GET /.well-known/oauth-authorization-server"), false, Trigger.HTTP),
            new FunctionSpec("api-keys", "ApiKeysFunction", "api-keys",
                    "dev.latchkey.functions.apikeys.ApiKeysApplication",
                    routes("POST /v1/orgs/{orgId}/api-keys", "GET /v1/orgs/{orgId}/api-keys",
                            "GET /v1/orgs/{orgId}/api-keys/stats", "GET /v1/orgs/{orgId}/api-keys/{keyId}",
                            "POST /v1/orgs/{orgId}/api-keys/{keyId}/revoke",
                            "POST /v1/orgs/{orgId}/api-keys/{keyId}/roll",
                            "DELETE /v1/orgs/{orgId}/api-keys/{keyId}", "POST /v1/api-keys/verify"),
                    false, Trigger.HTTP),
            new FunctionSpec("passkey", "PasskeyFunction", "passkey",
                    "dev.latchkey.functions.passkey.PasskeyApplication",
                    routes("POST /v1/auth/passkeys/register/options", "POST /v1/auth/passkeys/register/verify",
                            "POST /v1/auth/passkeys/login/options", "POST /v1/auth/passkeys/login/verify",
                            "GET /v1/users/me/passkeys", "PATCH /v1/users/me/passkeys/{passkeyId}",
                            "DELETE /v1/users/me/passkeys/{passkeyId}"), false, Trigger.HTTP),
            new FunctionSpec("orgs", "OrgsFunction", "orgs", "dev.latchkey.functions.orgs.OrgsApplication",
                    routes("POST /v1/orgs", "GET /v1/orgs", "GET /v1/orgs/{orgId}", "PATCH /v1/orgs/{orgId}",
                            "DELETE /v1/orgs/{orgId}",
                            "GET /v1/orgs/{orgId}/members", "PATCH /v1/orgs/{orgId}/members/{userId}",
                            "DELETE /v1/orgs/{orgId}/members/{userId}",
                            "POST /v1/orgs/{orgId}/invitations", "GET /v1/orgs/{orgId}/invitations",
                            "DELETE /v1/orgs/{orgId}/invitations/{invitationId}", "POST /v1/invitations/accept",
                            "POST /v1/orgs/{orgId}/teams", "GET /v1/orgs/{orgId}/teams",
                            "GET /v1/orgs/{orgId}/teams/{teamId}", "PATCH /v1/orgs/{orgId}/teams/{teamId}",
                            "DELETE /v1/orgs/{orgId}/teams/{teamId}",
                            "PUT /v1/orgs/{orgId}/teams/{teamId}/members/{userId}",
                            "DELETE /v1/orgs/{orgId}/teams/{teamId}/members/{userId}",
                            "POST /v1/orgs/{orgId}/resources", "GET /v1/orgs/{orgId}/resources",
                            "GET /v1/orgs/{orgId}/resources/{resourceId}",
                            "PATCH /v1/orgs/{orgId}/resources/{resourceId}",
                            "DELETE /v1/orgs/{orgId}/resources/{resourceId}",
                            "GET /v1/orgs/{orgId}/resources/{resourceId}/grants",
                            "PUT /v1/orgs/{orgId}/resources/{resourceId}/grants/{granteeId}",
                            "DELETE /v1/orgs/{orgId}/resources/{resourceId}/grants/{granteeId}",
                            "POST /v1/orgs/{orgId}/clients", "GET /v1/orgs/{orgId}/clients",
                            "GET /v1/orgs/{orgId}/clients/{clientId}", "PATCH /v1/orgs/{orgId}/clients/{clientId}",
                            "DELETE /v1/orgs/{orgId}/clients/{clientId}",
                            "POST /v1/orgs/{orgId}/clients/{clientId}/secrets",
                            "DELETE /v1/orgs/{orgId}/clients/{clientId}/secrets/{secretId}",
                            "POST /v1/orgs/{orgId}/clients/{clientId}/keys",
                            "DELETE /v1/orgs/{orgId}/clients/{clientId}/keys/{keyId}",
                            "GET /v1/orgs/{orgId}/audit-events"), false, Trigger.HTTP),
            new FunctionSpec("rotate-keys", "RotateKeysFunction", "rotate-keys",
                    "dev.latchkey.functions.rotatekeys.RotateKeysApplication", List.of(), false, Trigger.SCHEDULE));

    private ApiCatalog() {
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
     * The route API Gateway would pick for a request: literal segments beat variables, as in
     * API Gateway's "most specific route wins" rule.
     */
    public static Optional<Match> match(String method, String path) {
        Match best = null;
        for (FunctionSpec function : FUNCTIONS) {
            for (Route route : function.routes()) {
                if (!route.method().equals(method)) {
                    continue;
                }
                var parameters = route.path().match(path);
                if (parameters.isPresent()
                        && (best == null || route.path().literalCount() > best.route().path().literalCount())) {
                    best = new Match(function, route, parameters.get());
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The methods any function serves on this path (for the {@code Allow} header). */
    public static Set<String> allowedMethods(String path) {
        Set<String> methods = new LinkedHashSet<>();
        FUNCTIONS.forEach(f -> f.routes().stream().filter(r -> r.path().match(path).isPresent())
                .forEach(r -> methods.add(r.method())));
        return methods;
    }

    private static List<Route> routes(String... keys) {
        return java.util.Arrays.stream(keys).map(Route::parse).toList();
    }

    /**
     * A matched route.
     *
     * @param function the function serving it
     * @param route the route
     * @param pathParameters its variables' values
     */
    public record Match(FunctionSpec function, Route route, java.util.Map<String, String> pathParameters) {
    }
}
