package dev.latchkey.functions.orgs;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.ApplicationSettings;
import dev.latchkey.core.application.CreatedApplication;
import dev.latchkey.core.application.ManageApplications;
import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.client.NewClientKey;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.QueryParameters;
import dev.latchkey.core.http.RoutePermissions;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The orgs routes of applications, the OAuth clients that sign people in (docs/oidc.md). Each runs authenticate →
 * authorize ({@link OrgRoutes#authorize}: the service clients' permissions, from {@link #PERMISSIONS}) → parse
 * strictly → one {@link ManageApplications} use case.
 *
 * <ul>
 *   <li>{@code POST /v1/orgs/{orgId}/applications} {@code {name, type, redirect_uris, token_endpoint_auth_method?,
 *       post_logout_redirect_uris?, scopes?, first_party?, id_token_signed_response_alg?}} → 201, with
 *       {@code client_secret} once for a confidential application with a secret method ({@code no-store});</li>
 *   <li>{@code GET …/applications} → {@code {applications: [...]}}; {@code GET …/applications/{clientId}};</li>
 *   <li>{@code PATCH …/applications/{clientId}} (the same fields but type and method) → 200;
 *       {@code DELETE …/applications/{clientId}} → 204;</li>
 *   <li>{@code POST …/applications/{clientId}/secret} → 201 the new secret, once ({@code no-store}); the old ones
 *       stop working;</li>
 *   <li>{@code POST …/applications/{clientId}/keys} {@code {jwk}} or {@code {certificate}} → 201 key (a
 *       {@code private_key_jwt} application; the service clients' formats and limits);
 *       {@code DELETE …/keys/{keyId}} → 204. The keys are listed by {@code GET …/applications/{clientId}}, as a
 *       service client's are.</li>
 * </ul>
 * Nothing here logs a body or a header.
 */
final class ApplicationEndpoints {

    static final String CREATE = "POST /v1/orgs/{orgId}/applications";
    static final String LIST = "GET /v1/orgs/{orgId}/applications";
    static final String SHOW = "GET /v1/orgs/{orgId}/applications/{clientId}";
    static final String UPDATE = "PATCH /v1/orgs/{orgId}/applications/{clientId}";
    static final String DELETE = "DELETE /v1/orgs/{orgId}/applications/{clientId}";
    static final String ROTATE_SECRET = "POST /v1/orgs/{orgId}/applications/{clientId}/secret";
    static final String ADD_KEY = "POST /v1/orgs/{orgId}/applications/{clientId}/keys";
    static final String REVOKE_KEY = "DELETE /v1/orgs/{orgId}/applications/{clientId}/keys/{keyId}";

    /** The route → permission table (docs/access-control.md): the service clients' permissions. */
    static final Map<String, String> PERMISSIONS = RoutePermissions.of(
            CREATE, Permissions.CLIENT_CREATE,
            LIST, Permissions.CLIENT_READ,
            SHOW, Permissions.CLIENT_READ,
            UPDATE, Permissions.CLIENT_CREATE,
            DELETE, Permissions.CLIENT_DELETE,
            ROTATE_SECRET, Permissions.CLIENT_CREATE,
            ADD_KEY, Permissions.CLIENT_CREATE,
            REVOKE_KEY, Permissions.CLIENT_DELETE);

    private ApplicationEndpoints() {
    }

    /** The settings as JSON: every field optional here, the use case says what is required. */
    record SettingsBody(String name, String type, String tokenEndpointAuthMethod, List<String> redirectUris,
            List<String> postLogoutRedirectUris, List<String> scopes, Boolean firstParty,
            String idTokenSignedResponseAlg) {

        ApplicationSettings settings() {
            return new ApplicationSettings(Optional.ofNullable(name), Optional.ofNullable(type),
                    Optional.ofNullable(tokenEndpointAuthMethod), Optional.ofNullable(redirectUris),
                    Optional.ofNullable(postLogoutRedirectUris), Optional.ofNullable(scopes),
                    Optional.ofNullable(firstParty), Optional.ofNullable(idTokenSignedResponseAlg));
        }
    }

    static void register(Router.Builder routes, OrgRoutes shared, ManageApplications applications) {
        Clock clock = shared.clock();
        routes.route(CREATE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(CREATE));
            QueryParameters.none(request);
            SettingsBody body = Json.readBody(request, SettingsBody.class);
            CreatedApplication created = applications.create(access, body.settings(), RequestOrigin.of(request));
            Map<String, Object> view = view(created.application(), clock.instant());
            created.secret().ifPresent(secret -> view.put("client_secret", secret));
            return noStore(HttpResponse.json(201, Json.write(view)));
        });
        routes.route(LIST, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(LIST));
            QueryParameters.none(request);
            Instant now = clock.instant();
            return HttpResponse.json(200, Json.write(Map.of("applications", applications.list(access).stream()
                    .map(app -> view(app, now)).toList())));
        });
        routes.route(SHOW, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(SHOW));
            QueryParameters.none(request);
            return HttpResponse.json(200, Json.write(view(applications.show(access,
                    request.pathParameter("clientId")), clock.instant())));
        });
        routes.route(UPDATE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(UPDATE));
            QueryParameters.none(request);
            SettingsBody body = Json.readBody(request, SettingsBody.class);
            Application updated = applications.update(access, request.pathParameter("clientId"), body.settings(),
                    RequestOrigin.of(request));
            return HttpResponse.json(200, Json.write(view(updated, clock.instant())));
        });
        routes.route(DELETE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(DELETE));
            QueryParameters.none(request);
            applications.delete(access, request.pathParameter("clientId"), RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
        routes.route(ROTATE_SECRET, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(ROTATE_SECRET));
            QueryParameters.none(request);
            CreatedApplication rotated = applications.rotateSecret(access, request.pathParameter("clientId"),
                    RequestOrigin.of(request));
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("client_id", rotated.application().clientId());
            view.put("client_secret", rotated.secret().orElseThrow());
            return noStore(HttpResponse.json(201, Json.write(view)));
        });
        routes.route(ADD_KEY, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(ADD_KEY));
            QueryParameters.none(request);
            ClientEndpoints.KeyBody body = Json.readBody(request, ClientEndpoints.KeyBody.class);
            ClientKey key = applications.addKey(access, request.pathParameter("clientId"), new NewClientKey(
                    Optional.ofNullable(body.jwk()), Optional.ofNullable(body.certificate())),
                    RequestOrigin.of(request));
            Map<String, Object> view = ClientEndpoints.key(key, clock.instant());
            view.put("client_id", request.pathParameter("clientId"));
            return HttpResponse.json(201, Json.write(view));
        });
        routes.route(REVOKE_KEY, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(REVOKE_KEY));
            QueryParameters.none(request);
            applications.revokeKey(access, request.pathParameter("clientId"), request.pathParameter("keyId"),
                    RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
    }

    private static HttpResponse noStore(HttpResponse response) {
        return response.withHeader("cache-control", "no-store").withHeader("pragma", "no-cache");
    }

    /** An application as the routes show it: its settings, its secrets' and keys' ids and states (never a hash). */
    private static Map<String, Object> view(Application app, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("client_id", app.clientId());
        view.put("organization_id", app.organizationId());
        view.put("name", app.name());
        view.put("type", app.type().wireName());
        view.put("token_endpoint_auth_method", app.tokenEndpointAuthMethod().wireName());
        view.put("redirect_uris", app.redirectUris());
        view.put("post_logout_redirect_uris", app.postLogoutRedirectUris());
        view.put("scopes", app.scopes());
        view.put("first_party", app.firstParty());
        view.put("id_token_signed_response_alg", app.idTokenSignedResponseAlg().name());
        view.put("created_at", app.createdAt().toString());
        view.put("created_by", app.createdBy());
        view.put("secrets", app.secrets().stream().map(s -> secret(s, now)).toList());
        view.put("keys", app.keys().stream().map(k -> ClientEndpoints.key(k, now)).toList());
        return view;
    }

    private static Map<String, Object> secret(ClientSecret secret, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("secret_id", secret.secretId());
        view.put("state", secret.revokedAt().isPresent() ? "revoked" : secret.usableAt(now) ? "active" : "expired");
        view.put("created_at", secret.createdAt().toString());
        return view;
    }
}
