package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.QueryParameters;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.resource.Grant;
import dev.latchkey.core.resource.ManageGrants;
import dev.latchkey.core.resource.ManageResources;
import dev.latchkey.core.resource.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The orgs routes of resources and their grants (docs/resources.md): read with {@code resource:read}, change with
 * {@code resource:manage}. Thin: authorize, parse strictly, one use-case call, map the result.
 */
final class ResourceEndpoints {

    static final String CREATE = "POST /v1/orgs/{orgId}/resources";
    static final String LIST = "GET /v1/orgs/{orgId}/resources";
    static final String SHOW = "GET /v1/orgs/{orgId}/resources/{resourceId}";
    static final String UPDATE = "PATCH /v1/orgs/{orgId}/resources/{resourceId}";
    static final String DELETE = "DELETE /v1/orgs/{orgId}/resources/{resourceId}";
    static final String GRANTS = "GET /v1/orgs/{orgId}/resources/{resourceId}/grants";
    static final String SET_GRANT = "PUT /v1/orgs/{orgId}/resources/{resourceId}/grants/{granteeId}";
    static final String REMOVE_GRANT = "DELETE /v1/orgs/{orgId}/resources/{resourceId}/grants/{granteeId}";

    /** The route → permission table of this area. */
    static final Map<String, String> PERMISSIONS = Map.of(CREATE, Permissions.RESOURCE_MANAGE, LIST,
            Permissions.RESOURCE_READ, SHOW, Permissions.RESOURCE_READ, UPDATE, Permissions.RESOURCE_MANAGE,
            DELETE, Permissions.RESOURCE_MANAGE, GRANTS, Permissions.RESOURCE_READ, SET_GRANT,
            Permissions.RESOURCE_MANAGE, REMOVE_GRANT, Permissions.RESOURCE_MANAGE);

    /** {@code POST} body. */
    record CreateBody(String name, String audience, List<String> scopes) {
    }

    /** {@code PATCH} body: either or both. */
    record UpdateBody(String name, List<String> scopes) {
    }

    /** {@code PUT …/grants/{granteeId}} body. */
    record GrantBody(List<String> scopes) {
    }

    private ResourceEndpoints() {
    }

    static void register(Router.Builder routes, OrgRoutes shared, ManageResources resources, ManageGrants grants) {
        routes.route(CREATE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(CREATE));
            QueryParameters.none(request);
            CreateBody body = Json.readBody(request, CreateBody.class);
            Resource resource = resources.create(access, body.name(), body.audience(),
                    body.scopes() == null ? List.of() : body.scopes(), RequestOrigin.of(request));
            return HttpResponse.json(201, Json.write(view(resource)));
        });
        routes.route(LIST, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(LIST));
            QueryParameters.none(request);
            return HttpResponse.json(200, Json.write(Map.of("resources",
                    resources.list(access).stream().map(ResourceEndpoints::view).toList())));
        });
        routes.route(SHOW, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(SHOW));
            QueryParameters.none(request);
            return HttpResponse.json(200, Json.write(view(resources.show(access,
                    request.pathParameter("resourceId")))));
        });
        routes.route(UPDATE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(UPDATE));
            QueryParameters.none(request);
            UpdateBody body = Json.readBody(request, UpdateBody.class);
            Resource resource = resources.update(access, request.pathParameter("resourceId"),
                    Optional.ofNullable(body.name()), Optional.ofNullable(body.scopes()), RequestOrigin.of(request));
            return HttpResponse.json(200, Json.write(view(resource)));
        });
        routes.route(DELETE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(DELETE));
            QueryParameters.none(request);
            resources.delete(access, request.pathParameter("resourceId"), RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
        routes.route(GRANTS, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(GRANTS));
            QueryParameters.none(request);
            return HttpResponse.json(200, Json.write(Map.of("grants",
                    grants.list(access, request.pathParameter("resourceId")).stream()
                            .map(ResourceEndpoints::grant).toList())));
        });
        routes.route(SET_GRANT, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(SET_GRANT));
            QueryParameters.none(request);
            GrantBody body = Json.readBody(request, GrantBody.class);
            Grant grant = grants.set(access, request.pathParameter("resourceId"), request.pathParameter("granteeId"),
                    body.scopes(), RequestOrigin.of(request));
            return HttpResponse.json(200, Json.write(grant(grant)));
        });
        routes.route(REMOVE_GRANT, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(REMOVE_GRANT));
            QueryParameters.none(request);
            grants.remove(access, request.pathParameter("resourceId"), request.pathParameter("granteeId"),
                    RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
    }

    static Map<String, Object> view(Resource resource) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", resource.resourceId());
        view.put("organization_id", resource.organizationId());
        view.put("name", resource.name());
        view.put("audience", resource.audience());
        view.put("scopes", resource.scopes());
        view.put("created_at", resource.createdAt().toString());
        view.put("created_by", resource.createdBy());
        return view;
    }

    static Map<String, Object> grant(Grant grant) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("resource_id", grant.resourceId());
        view.put("grantee_id", grant.granteeId());
        view.put("grantee_type", grant.granteeType().text());
        view.put("scopes", grant.scopes());
        view.put("granted_at", grant.grantedAt().toString());
        view.put("granted_by", grant.grantedBy());
        return view;
    }
}
