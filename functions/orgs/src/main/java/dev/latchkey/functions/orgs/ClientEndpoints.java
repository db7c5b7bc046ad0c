package dev.latchkey.functions.orgs;

import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientPage;
import dev.latchkey.core.client.ClientQuery;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.client.CreateClientCommand;
import dev.latchkey.core.client.CreatedClient;
import dev.latchkey.core.client.CreatedClientSecret;
import dev.latchkey.core.client.ManageClients;
import dev.latchkey.core.client.NewClientKey;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.client.UpdateClientCommand;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.QueryParameters;
import dev.latchkey.core.http.RequestException;
import dev.latchkey.core.http.RoutePermissions;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The orgs routes of service clients and their credentials (docs/clients.md). Each runs authenticate → authorize
 * ({@link OrgRoutes#authorize}: the route's permission from {@link #PERMISSIONS}, in the organization of the path)
 * → parse strictly → one {@link ManageClients} use case.
 *
 * <ul>
 *   <li>{@code POST /v1/orgs/{orgId}/clients} {@code {name, allowed_resources?, secret?}} → 201 client, with the
 *       first secret {@code {secret_id, client_secret, …}} unless {@code secret: false} ({@code no-store});</li>
 *   <li>{@code GET …/clients} ({@code limit, cursor}) → {@code {clients: [...], next_cursor}} (no credentials);
 *       {@code GET …/clients/{clientId}} → the client with its credentials listed (never a hash);</li>
 *   <li>{@code PATCH …/clients/{clientId}} {@code {name?, allowed_resources?}} → 200;
 *       {@code DELETE …/clients/{clientId}} → 204;</li>
 *   <li>{@code POST …/secrets} {@code {expires_in_days?}} → 201 secret shown once ({@code no-store});
 *       {@code DELETE …/secrets/{secretId}} → 204;</li>
 *   <li>{@code POST …/keys} {@code {jwk}} or {@code {certificate}} → 201 key; {@code DELETE …/keys/{keyId}} → 204.
 *   </li>
 * </ul>
 * Nothing here logs a body or a header.
 */
final class ClientEndpoints {

    static final String CREATE = "POST /v1/orgs/{orgId}/clients";
    static final String LIST = "GET /v1/orgs/{orgId}/clients";
    static final String SHOW = "GET /v1/orgs/{orgId}/clients/{clientId}";
    static final String UPDATE = "PATCH /v1/orgs/{orgId}/clients/{clientId}";
    static final String DELETE = "DELETE /v1/orgs/{orgId}/clients/{clientId}";
    static final String ADD_SECRET = "POST /v1/orgs/{orgId}/clients/{clientId}/secrets";
    static final String REVOKE_SECRET = "DELETE /v1/orgs/{orgId}/clients/{clientId}/secrets/{secretId}";
    static final String ADD_KEY = "POST /v1/orgs/{orgId}/clients/{clientId}/keys";
    static final String REVOKE_KEY = "DELETE /v1/orgs/{orgId}/clients/{clientId}/keys/{keyId}";

    /**
     * The route → permission table (docs/access-control.md): the handlers authorize with it and the endpoint ×
     * role matrix derives its expectations from it.
     */
    static final Map<String, String> PERMISSIONS = RoutePermissions.of(
            CREATE, Permissions.CLIENT_CREATE,
            LIST, Permissions.CLIENT_READ,
            SHOW, Permissions.CLIENT_READ,
            UPDATE, Permissions.CLIENT_CREATE,
            DELETE, Permissions.CLIENT_DELETE,
            ADD_SECRET, Permissions.CLIENT_CREATE,
            REVOKE_SECRET, Permissions.CLIENT_DELETE,
            ADD_KEY, Permissions.CLIENT_CREATE,
            REVOKE_KEY, Permissions.CLIENT_DELETE);

    private static final String NO_STORE = "no-store";
    private static final Set<String> PAGE_PARAMETERS = Set.of("limit", "cursor");

    private ClientEndpoints() {
    }

    /** {@code {name, allowed_resources?, secret?}}. */
    record CreateBody(String name, List<String> allowedResources, Boolean secret) {
    }

    /** {@code {name?, allowed_resources?}}. */
    record UpdateBody(String name, List<String> allowedResources) {
    }

    /** {@code {expires_in_days?}}. */
    record SecretBody(Number expiresInDays) {
    }

    /** {@code {jwk}} or {@code {certificate}}: public material only, but printed without it all the same. */
    record KeyBody(Map<String, Object> jwk, String certificate) {
        @Override
        public String toString() {
            return "KeyBody[jwk=" + (jwk != null) + ", certificate=" + (certificate != null) + "]";
        }
    }

    static void register(Router.Builder routes, OrgRoutes shared, ManageClients clients) {
        Clock clock = shared.clock();
        routes.route(CREATE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(CREATE));
            QueryParameters.none(request);
            CreateBody body = Json.readBody(request, CreateBody.class);
            CreatedClient created = clients.create(access, new CreateClientCommand(body.name(),
                    body.allowedResources() == null ? List.of() : body.allowedResources(),
                    body.secret() == null || body.secret()), RequestOrigin.of(request));
            Map<String, Object> view = client(created.client(), clock.instant());
            created.secret().ifPresent(secret -> view.put("secret", secret(secret)));
            return noStore(HttpResponse.json(201, Json.write(view)));
        });
        routes.route(LIST, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(LIST));
            ClientPage page = clients.list(access, pageQuery(request));
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("clients", page.clients().stream().map(ClientEndpoints::summary).toList());
            view.put("next_cursor", page.nextCursor().orElse(null));
            return HttpResponse.json(200, Json.write(view));
        });
        routes.route(SHOW, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(SHOW));
            QueryParameters.none(request);
            ServiceClient client = clients.show(access, request.pathParameter("clientId"));
            return HttpResponse.json(200, Json.write(client(client, clock.instant())));
        });
        routes.route(UPDATE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(UPDATE));
            QueryParameters.none(request);
            UpdateBody body = Json.readBody(request, UpdateBody.class);
            ServiceClient updated = clients.update(access, request.pathParameter("clientId"),
                    new UpdateClientCommand(Optional.ofNullable(body.name()),
                            Optional.ofNullable(body.allowedResources())), RequestOrigin.of(request));
            return HttpResponse.json(200, Json.write(client(updated, clock.instant())));
        });
        routes.route(DELETE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(DELETE));
            QueryParameters.none(request);
            clients.delete(access, request.pathParameter("clientId"), RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
        routes.route(ADD_SECRET, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(ADD_SECRET));
            QueryParameters.none(request);
            SecretBody body = request.bodyLength() == 0 ? new SecretBody(null)
                    : Json.readBody(request, SecretBody.class);
            CreatedClientSecret secret = clients.addSecret(access, request.pathParameter("clientId"),
                    Optional.ofNullable(intValue("expires_in_days", body.expiresInDays())), RequestOrigin.of(request));
            Map<String, Object> view = secret(secret);
            view.put("client_id", request.pathParameter("clientId"));
            return noStore(HttpResponse.json(201, Json.write(view)));
        });
        routes.route(REVOKE_SECRET, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(REVOKE_SECRET));
            QueryParameters.none(request);
            clients.revokeSecret(access, request.pathParameter("clientId"), request.pathParameter("secretId"),
                    RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
        routes.route(ADD_KEY, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(ADD_KEY));
            QueryParameters.none(request);
            KeyBody body = Json.readBody(request, KeyBody.class);
            ClientKey key = clients.addKey(access, request.pathParameter("clientId"), new NewClientKey(
                    Optional.ofNullable(body.jwk()), Optional.ofNullable(body.certificate())),
                    RequestOrigin.of(request));
            Map<String, Object> view = key(key, clock.instant());
            view.put("client_id", request.pathParameter("clientId"));
            return HttpResponse.json(201, Json.write(view));
        });
        routes.route(REVOKE_KEY, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(REVOKE_KEY));
            QueryParameters.none(request);
            clients.revokeKey(access, request.pathParameter("clientId"), request.pathParameter("keyId"),
                    RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
    }

    /** {@code limit} (1–100, default 50) and {@code cursor} only, each once. */
    private static ClientQuery pageQuery(HttpRequest request) {
        QueryParameters.only(request, PAGE_PARAMETERS);
        return new ClientQuery(QueryParameters.limit(request, ClientQuery.DEFAULT_LIMIT, ClientQuery.MAX_LIMIT),
                request.queryParameter("cursor"));
    }

    /** A JSON number that must be whole ({@code 7.5} is a 400 naming the field); null stays null. */
    private static Integer intValue(String field, Number value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value.longValue()));
        }
        if (value instanceof BigInteger big) {
            return big.signum() < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        throw RequestException.invalid("Field '" + field + "' is a whole number.",
                Map.of("field", field, "reason", "INVALID_FORMAT"));
    }

    private static HttpResponse noStore(HttpResponse response) {
        return response.withHeader("cache-control", NO_STORE).withHeader("pragma", "no-cache");
    }

    private static Map<String, Object> summary(ServiceClient client) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("client_id", client.clientId());
        view.put("organization_id", client.organizationId());
        view.put("name", client.name());
        view.put("allowed_resources", client.allowedResources());
        view.put("created_at", client.createdAt().toString());
        view.put("created_by", client.createdBy());
        return view;
    }

    private static Map<String, Object> client(ServiceClient client, Instant now) {
        Map<String, Object> view = summary(client);
        view.put("secrets", client.secrets().stream().map(s -> secret(s, now)).toList());
        view.put("keys", client.keys().stream().map(k -> key(k, now)).toList());
        return view;
    }

    private static Map<String, Object> secret(ClientSecret secret, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("secret_id", secret.secretId());
        view.put("state", secret.revokedAt().isPresent() ? "revoked" : secret.usableAt(now) ? "active" : "expired");
        view.put("created_at", secret.createdAt().toString());
        view.put("created_by", secret.createdBy());
        view.put("expires_at", secret.expiresAt().map(Instant::toString).orElse(null));
        view.put("revoked_at", secret.revokedAt().map(Instant::toString).orElse(null));
        return view;
    }

    /** A secret just made: its id and times, and the secret itself — the one response that ever holds it. */
    private static Map<String, Object> secret(CreatedClientSecret created) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("secret_id", created.secret().secretId());
        view.put("client_secret", created.value());
        view.put("created_at", created.secret().createdAt().toString());
        view.put("expires_at", created.secret().expiresAt().map(Instant::toString).orElse(null));
        return view;
    }

    /** A key as the routes show it (also an application's, {@link ApplicationEndpoints}): never its material. */
    static Map<String, Object> key(ClientKey key, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("key_id", key.keyId());
        view.put("kid", key.kid());
        view.put("alg", key.algorithm());
        view.put("state", key.revokedAt().isPresent() ? "revoked" : key.usableAt(now) ? "active" : "expired");
        view.put("created_at", key.createdAt().toString());
        view.put("created_by", key.createdBy());
        view.put("not_after", key.notAfter().map(Instant::toString).orElse(null));
        view.put("revoked_at", key.revokedAt().map(Instant::toString).orElse(null));
        return view;
    }
}
