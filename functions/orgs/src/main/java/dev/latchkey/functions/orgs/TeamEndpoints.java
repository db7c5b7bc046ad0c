package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.QueryParameters;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.team.ManageTeams;
import dev.latchkey.core.team.Team;
import dev.latchkey.core.team.TeamMember;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The orgs routes of teams and their members (docs/resources.md "Teams"): read with {@code team:read}, change with
 * {@code team:manage}. Thin: authorize, parse strictly, one {@link ManageTeams} call, map the result.
 */
final class TeamEndpoints {

    static final String CREATE = "POST /v1/orgs/{orgId}/teams";
    static final String LIST = "GET /v1/orgs/{orgId}/teams";
    static final String SHOW = "GET /v1/orgs/{orgId}/teams/{teamId}";
    static final String RENAME = "PATCH /v1/orgs/{orgId}/teams/{teamId}";
    static final String DELETE = "DELETE /v1/orgs/{orgId}/teams/{teamId}";
    static final String ADD_MEMBER = "PUT /v1/orgs/{orgId}/teams/{teamId}/members/{userId}";
    static final String REMOVE_MEMBER = "DELETE /v1/orgs/{orgId}/teams/{teamId}/members/{userId}";

    /** The route → permission table of this area. */
    static final Map<String, String> PERMISSIONS = Map.of(CREATE, Permissions.TEAM_MANAGE, LIST,
            Permissions.TEAM_READ, SHOW, Permissions.TEAM_READ, RENAME, Permissions.TEAM_MANAGE, DELETE,
            Permissions.TEAM_MANAGE, ADD_MEMBER, Permissions.TEAM_MANAGE, REMOVE_MEMBER, Permissions.TEAM_MANAGE);

    /** {@code POST} and {@code PATCH} body. */
    record NameBody(String name) {
    }

    private TeamEndpoints() {
    }

    static void register(Router.Builder routes, OrgRoutes shared, ManageTeams teams) {
        routes.route(CREATE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(CREATE));
            QueryParameters.none(request);
            NameBody body = Json.readBody(request, NameBody.class);
            Team team = teams.create(access, body.name(), RequestOrigin.of(request));
            return HttpResponse.json(201, Json.write(view(team)));
        });
        routes.route(LIST, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(LIST));
            QueryParameters.none(request);
            return HttpResponse.json(200, Json.write(Map.of("teams",
                    teams.list(access).stream().map(TeamEndpoints::view).toList())));
        });
        routes.route(SHOW, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(SHOW));
            QueryParameters.none(request);
            ManageTeams.TeamDetails details = teams.show(access, request.pathParameter("teamId"));
            Map<String, Object> view = view(details.team());
            view.put("members", details.members().stream().map(TeamEndpoints::member).toList());
            return HttpResponse.json(200, Json.write(view));
        });
        routes.route(RENAME, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(RENAME));
            QueryParameters.none(request);
            NameBody body = Json.readBody(request, NameBody.class);
            Team team = teams.rename(access, request.pathParameter("teamId"), body.name(), RequestOrigin.of(request));
            return HttpResponse.json(200, Json.write(view(team)));
        });
        routes.route(DELETE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(DELETE));
            QueryParameters.none(request);
            teams.delete(access, request.pathParameter("teamId"), RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
        routes.route(ADD_MEMBER, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(ADD_MEMBER));
            QueryParameters.none(request);
            TeamMember member = teams.addMember(access, request.pathParameter("teamId"),
                    request.pathParameter("userId"), RequestOrigin.of(request));
            return HttpResponse.json(200, Json.write(member(member)));
        });
        routes.route(REMOVE_MEMBER, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(REMOVE_MEMBER));
            QueryParameters.none(request);
            teams.removeMember(access, request.pathParameter("teamId"), request.pathParameter("userId"),
                    RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
    }

    static Map<String, Object> view(Team team) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", team.teamId());
        view.put("organization_id", team.organizationId());
        view.put("name", team.name());
        view.put("created_at", team.createdAt().toString());
        view.put("created_by", team.createdBy());
        return view;
    }

    static Map<String, Object> member(TeamMember member) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("user_id", member.userId());
        view.put("team_id", member.teamId());
        view.put("added_at", member.addedAt().toString());
        view.put("added_by", member.addedBy());
        return view;
    }
}
