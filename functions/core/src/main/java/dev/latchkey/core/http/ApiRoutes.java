package dev.latchkey.core.http;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every route of Latchkey's HTTP API, declared once, by area: what the API serves, not how it is deployed. Which
 * function serves an area, and under which bean name, SAM logical id, Terraform key, Maven folder and main class,
 * is the deployment's business ({@code dev.latchkey.infrastructure.deploy.ApiCatalog}); {@code template.yaml},
 * {@code terraform/}, {@code docs/openapi.yaml}, {@code events/} and the local server are checked against that
 * catalog, and each function's {@link Router} against its area here.
 *
 * <p>Core needs the whole list for two rules: a wrong method answers 405 with the same {@code Allow} whichever
 * function receives it ({@link Router}), and no resource may take one of these paths as its audience
 * ({@code ReservedAudiences}).
 */
public final class ApiRoutes {

    /** {@code GET /health…}: liveness, readiness and the health document. */
    public static final List<Route> HEALTH = routes("GET /health", "GET /health/live", "GET /health/ready");

    /** Sign-up and email verification. */
    public static final List<Route> REGISTRATION = routes("POST /v1/auth/register", "POST /v1/auth/email/verify",
            "POST /v1/auth/email/verify/resend");

    /** Password login, logout, the current user, password change and reset, sessions. */
    public static final List<Route> LOGIN = routes("POST /v1/auth/login/password", "POST /v1/auth/logout",
            "GET /v1/users/me", "POST /v1/users/me/password", "POST /v1/auth/password/forgot",
            "POST /v1/auth/password/reset", "GET /v1/users/me/sessions", "DELETE /v1/users/me/sessions/{sessionId}");

    /**
     * Second factors: the second login step, TOTP enrolment, recovery codes, the caller's MFA (docs/mfa.md). Served
     * by the login function beside {@link #LOGIN}.
     */
    public static final List<Route> MFA = routes("POST /v1/auth/login/mfa", "GET /v1/users/me/mfa",
            "DELETE /v1/users/me/mfa", "POST /v1/users/me/mfa/totp", "POST /v1/users/me/mfa/totp/confirm",
            "POST /v1/users/me/mfa/recovery-codes");

    /** The OAuth endpoints: token (RFC 6749), revocation (RFC 7009), introspection (RFC 7662), userinfo (OIDC). */
    public static final List<Route> OAUTH = routes("POST /oauth/token", "POST /oauth/revoke", "POST /oauth/introspect",
            "GET /oauth/userinfo", "POST /oauth/userinfo");

    /**
     * The OpenID Provider's browser side (issue 15, docs/oidc.md): the authorization endpoint, the hosted pages'
     * sign-in exchange, consent and script, RP-initiated logout ({@code end_session_endpoint}).
     */
    public static final List<Route> SIGN_IN = routes("GET /oauth/authorize", "POST /oauth/authorize",
            "POST /oauth/signin", "POST /oauth/consent", "GET /oauth/logout", "POST /oauth/logout",
            "GET /oauth/signin.js");

    /** The key set and the issuer metadata documents. */
    public static final List<Route> METADATA = routes("GET /.well-known/jwks.json",
            "GET /.well-known/openid-configuration", "GET /.well-known/oauth-authorization-server");

    /** Organization API keys and their verification. */
    public static final List<Route> API_KEYS = routes("POST /v1/orgs/{orgId}/api-keys",
            "GET /v1/orgs/{orgId}/api-keys", "GET /v1/orgs/{orgId}/api-keys/stats",
            "GET /v1/orgs/{orgId}/api-keys/{keyId}", "POST /v1/orgs/{orgId}/api-keys/{keyId}/revoke",
            "POST /v1/orgs/{orgId}/api-keys/{keyId}/roll", "DELETE /v1/orgs/{orgId}/api-keys/{keyId}",
            "POST /v1/orgs/{orgId}/api-keys/{keyId}/credits", "PATCH /v1/orgs/{orgId}/api-keys/{keyId}",
            "GET /v1/orgs/{orgId}/api-keys/analytics", "GET /v1/orgs/{orgId}/api-keys/{keyId}/analytics",
            "POST /v1/api-keys/verify");

    /** WebAuthn passkeys: adding them, logging in with one, managing them. */
    public static final List<Route> PASSKEYS = routes("POST /v1/auth/passkeys/register/options",
            "POST /v1/auth/passkeys/register/verify", "POST /v1/auth/passkeys/login/options",
            "POST /v1/auth/passkeys/login/verify", "GET /v1/users/me/passkeys",
            "PATCH /v1/users/me/passkeys/{passkeyId}", "DELETE /v1/users/me/passkeys/{passkeyId}");

    /**
     * Organizations, members, invitations, teams, resources and grants, service clients and their credentials,
     * applications (OIDC relying parties), the audit log.
     */
    public static final List<Route> ORGANIZATIONS = routes("POST /v1/orgs", "GET /v1/orgs", "GET /v1/orgs/{orgId}",
            "PATCH /v1/orgs/{orgId}", "DELETE /v1/orgs/{orgId}",
            "GET /v1/orgs/{orgId}/members", "PATCH /v1/orgs/{orgId}/members/{userId}",
            "DELETE /v1/orgs/{orgId}/members/{userId}", "DELETE /v1/orgs/{orgId}/members/{userId}/mfa",
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
            "POST /v1/orgs/{orgId}/applications", "GET /v1/orgs/{orgId}/applications",
            "GET /v1/orgs/{orgId}/applications/{clientId}", "PATCH /v1/orgs/{orgId}/applications/{clientId}",
            "DELETE /v1/orgs/{orgId}/applications/{clientId}",
            "POST /v1/orgs/{orgId}/applications/{clientId}/secret",
            "POST /v1/orgs/{orgId}/applications/{clientId}/keys",
            "DELETE /v1/orgs/{orgId}/applications/{clientId}/keys/{keyId}",
            "GET /v1/orgs/{orgId}/audit-events");

    private static final List<Route> ALL = Stream.of(HEALTH, REGISTRATION, LOGIN, MFA, OAUTH, METADATA, API_KEYS,
            PASSKEYS, ORGANIZATIONS, SIGN_IN).flatMap(List::stream).toList();

    private ApiRoutes() {
    }

    /** Every route of the API, in declaration order. */
    public static List<Route> all() {
        return ALL;
    }

    /**
     * The route API Gateway would pick for a request: literal segments beat variables, as in API Gateway's "most
     * specific route wins" rule.
     */
    public static Optional<Match> match(String method, String path) {
        Match best = null;
        for (Route route : ALL) {
            if (!route.method().equals(method)) {
                continue;
            }
            var parameters = route.path().match(path);
            if (parameters.isPresent()
                    && (best == null || route.path().literalCount() > best.route().path().literalCount())) {
                best = new Match(route, parameters.get());
            }
        }
        return Optional.ofNullable(best);
    }

    /** The methods the API serves on this path (for the {@code Allow} header). */
    public static Set<String> allowedMethods(String path) {
        Set<String> methods = new LinkedHashSet<>();
        ALL.stream().filter(r -> r.path().match(path).isPresent()).forEach(r -> methods.add(r.method()));
        return methods;
    }

    private static List<Route> routes(String... keys) {
        return Arrays.stream(keys).map(Route::parse).toList();
    }

    /**
     * A matched route.
     *
     * @param route the route
     * @param pathParameters its variables' values
     */
    public record Match(Route route, Map<String, String> pathParameters) {
    }
}
