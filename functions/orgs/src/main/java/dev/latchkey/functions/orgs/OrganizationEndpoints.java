package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.QueryParameters;
import dev.latchkey.core.http.RoutePermissions;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.org.CreatedInvitation;
import dev.latchkey.core.org.Invitation;
import dev.latchkey.core.org.InvitationPage;
import dev.latchkey.core.org.Invitations;
import dev.latchkey.core.org.JoinedOrganization;
import dev.latchkey.core.org.ManageMembers;
import dev.latchkey.core.org.ManageOrganizations;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.org.MemberOrganization;
import dev.latchkey.core.org.MemberPage;
import dev.latchkey.core.org.MemberRemoval;
import dev.latchkey.core.org.OrgException;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.session.UserProfiles;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The orgs routes of organizations, members and invitations (docs/organizations.md). Organization routes run
 * authenticate → authorize ({@link OrgRoutes#authorize}: the route's permission from {@link #PERMISSIONS}, in the
 * organization of the path) → parse strictly → one use case. The user routes ({@link #USER_ROUTES}) take a
 * signed-in user; an API key there is 403 {@code USER_REQUIRED}.
 *
 * <ul>
 *   <li>{@code POST /v1/orgs} {@code {name}} → 201 organization (the caller is its owner);
 *       {@code GET /v1/orgs} → {@code {organizations: [...]}} with the caller's role;</li>
 *   <li>{@code GET|PATCH|DELETE /v1/orgs/{orgId}} → 200 / 200 / 204; {@code PATCH} takes {@code {name?,
 *       require_mfa?}} (issue 14 item 5);</li>
 *   <li>{@code GET …/members} ({@code limit, cursor}); {@code PATCH …/members/{userId}} {@code {role}} → 200;
 *       {@code DELETE …/members/{userId}} → 204 (the caller themselves: leave, membership is enough);</li>
 *   <li>{@code POST …/invitations} {@code {email, role}} → 201 (never the token); {@code GET …/invitations}
 *       ({@code limit, cursor}); {@code DELETE …/invitations/{invitationId}} → 204;</li>
 *   <li>{@code POST /v1/invitations/accept} {@code {token}} → 200 membership.</li>
 * </ul>
 * Nothing here logs a body or a header.
 */
final class OrganizationEndpoints {

    static final String CREATE = "POST /v1/orgs";
    static final String LIST = "GET /v1/orgs";
    static final String SHOW = "GET /v1/orgs/{orgId}";
    static final String RENAME = "PATCH /v1/orgs/{orgId}";
    static final String DELETE = "DELETE /v1/orgs/{orgId}";
    static final String MEMBERS = "GET /v1/orgs/{orgId}/members";
    static final String CHANGE_ROLE = "PATCH /v1/orgs/{orgId}/members/{userId}";
    static final String REMOVE_MEMBER = "DELETE /v1/orgs/{orgId}/members/{userId}";
    static final String INVITE = "POST /v1/orgs/{orgId}/invitations";
    static final String INVITATIONS = "GET /v1/orgs/{orgId}/invitations";
    static final String REVOKE_INVITATION = "DELETE /v1/orgs/{orgId}/invitations/{invitationId}";
    static final String ACCEPT = "POST /v1/invitations/accept";

    /**
     * The route → permission table of the organization routes (docs/access-control.md): the handlers authorize
     * with it and the endpoint × role matrix derives its expectations from it. {@link #REMOVE_MEMBER} of the
     * caller themselves needs only membership (leave).
     */
    static final Map<String, String> PERMISSIONS = RoutePermissions.of(
            SHOW, Permissions.ORG_READ,
            RENAME, Permissions.ORG_UPDATE,
            DELETE, Permissions.ORG_DELETE,
            MEMBERS, Permissions.MEMBER_READ,
            CHANGE_ROLE, Permissions.MEMBER_ROLE_UPDATE,
            REMOVE_MEMBER, Permissions.MEMBER_REMOVE,
            INVITE, Permissions.MEMBER_INVITE,
            INVITATIONS, Permissions.MEMBER_INVITE,
            REVOKE_INVITATION, Permissions.MEMBER_INVITE);

    /** Routes for a signed-in user, outside any organization's permissions. */
    static final List<String> USER_ROUTES = List.of(CREATE, LIST, ACCEPT);

    private static final Set<String> PAGE_PARAMETERS = Set.of("limit", "cursor");

    private OrganizationEndpoints() {
    }

    /** {@code {name}}. */
    record NameBody(String name) {
    }

    /** {@code {name?, require_mfa?}}: at least one. */
    record UpdateBody(String name, Boolean requireMfa) {
    }

    /** {@code {role}}. */
    record RoleBody(String role) {
    }

    /** {@code {email, role}}; printed without the address. */
    record InviteBody(String email, String role) {
        @Override
        public String toString() {
            return "InviteBody[email=<redacted>, role=" + role + "]";
        }
    }

    /** {@code {token}}; printed without the token. */
    record AcceptBody(String token) {
        @Override
        public String toString() {
            return "AcceptBody[<redacted>]";
        }
    }

    static void register(Router.Builder routes, OrgRoutes shared, ManageOrganizations organizations,
            ManageMembers members, Invitations invitations, UserProfiles profiles) {
        routes.route(CREATE, request -> {
            String userId = user(shared, request);
            QueryParameters.none(request);
            NameBody body = Json.readBody(request, NameBody.class);
            Organization organization = organizations.create(userId, body.name(), RequestOrigin.of(request));
            Map<String, Object> view = organization(organization);
            view.put("role", "owner");
            return HttpResponse.json(201, Json.write(view));
        });
        routes.route(LIST, request -> {
            String userId = user(shared, request);
            QueryParameters.none(request);
            List<Map<String, Object>> list = organizations.list(userId).stream()
                    .map(OrganizationEndpoints::memberOrganization).toList();
            return HttpResponse.json(200, Json.write(Map.of("organizations", list)));
        });
        routes.route(SHOW, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(SHOW));
            QueryParameters.none(request);
            return HttpResponse.json(200, Json.write(organization(organizations.show(access))));
        });
        routes.route(RENAME, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(RENAME));
            QueryParameters.none(request);
            UpdateBody body = Json.readBody(request, UpdateBody.class);
            Organization updated = organizations.update(access, Optional.ofNullable(body.name()),
                    Optional.ofNullable(body.requireMfa()), RequestOrigin.of(request));
            return HttpResponse.json(200, Json.write(organization(updated)));
        });
        routes.route(DELETE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(DELETE));
            QueryParameters.none(request);
            organizations.delete(access, RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
        routes.route(MEMBERS, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(MEMBERS));
            int limit = pageQuery(request);
            MemberPage page = members.list(access, limit, request.queryParameter("cursor"));
            Map<String, UserProfile> names = profiles.findAll(page.members().stream().map(Member::userId).toList());
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("members", page.members().stream().map(member -> {
                Map<String, Object> entry = member(member);
                entry.put("name", Optional.ofNullable(names.get(member.userId())).map(UserProfile::name).orElse(null));
                return entry;
            }).toList());
            view.put("next_cursor", page.nextCursor().orElse(null));
            return HttpResponse.json(200, Json.write(view));
        });
        routes.route(CHANGE_ROLE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(CHANGE_ROLE));
            QueryParameters.none(request);
            RoleBody body = Json.readBody(request, RoleBody.class);
            Member changed = members.changeRole(access, request.pathParameter("userId"), body.role(),
                    RequestOrigin.of(request));
            return HttpResponse.json(200, Json.write(member(changed)));
        });
        routes.route(REMOVE_MEMBER, request -> {
            Caller caller = shared.callers().authenticate(request);
            MemberRemoval removal = MemberRemoval.of(caller, request.pathParameter("userId"));
            OrgAccess access = shared.authorizer().authorize(caller, request.pathParameter("orgId"),
                    removal.permission(), RequestOrigin.of(request));
            QueryParameters.none(request);
            members.remove(access, removal, RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
        routes.route(INVITE, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(INVITE));
            QueryParameters.none(request);
            InviteBody body = Json.readBody(request, InviteBody.class);
            CreatedInvitation created = invitations.invite(access, body.email(), body.role(),
                    RequestOrigin.of(request));
            Map<String, Object> view = invitation(created.invitation(), shared.clock().instant());
            view.put("mail_sent", created.mailSent());
            return HttpResponse.json(201, Json.write(view)).withHeader("cache-control", "no-store");
        });
        routes.route(INVITATIONS, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(INVITATIONS));
            int limit = pageQuery(request);
            InvitationPage page = invitations.list(access, limit, request.queryParameter("cursor"));
            Instant now = shared.clock().instant();
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("invitations", page.invitations().stream().map(i -> invitation(i, now)).toList());
            view.put("next_cursor", page.nextCursor().orElse(null));
            return HttpResponse.json(200, Json.write(view)).withHeader("cache-control", "no-store");
        });
        routes.route(REVOKE_INVITATION, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(REVOKE_INVITATION));
            QueryParameters.none(request);
            invitations.revoke(access, request.pathParameter("invitationId"), RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
        routes.route(ACCEPT, request -> {
            String userId = user(shared, request);
            QueryParameters.none(request);
            AcceptBody body = Json.readBody(request, AcceptBody.class);
            JoinedOrganization joined = invitations.accept(userId, body.token(), RequestOrigin.of(request));
            Map<String, Object> view = organization(joined.organization());
            view.put("role", joined.member().role().text());
            view.put("joined_at", joined.member().joinedAt().toString());
            return HttpResponse.json(200, Json.write(view));
        });
    }

    /** The signed-in user of a user route; an API key is refused with 403 (it is no person). */
    private static String user(OrgRoutes shared, HttpRequest request) {
        Caller caller = shared.callers().authenticate(request);
        if (!(caller instanceof Caller.User user)) {
            throw OrgException.userRequired();
        }
        return user.userId();
    }

    /** {@code limit} and {@code cursor} only, each once; answers the limit. */
    private static int pageQuery(HttpRequest request) {
        QueryParameters.only(request, PAGE_PARAMETERS);
        return QueryParameters.limit(request, ManageMembers.DEFAULT_LIMIT, ManageMembers.MAX_LIMIT);
    }

    static Map<String, Object> organization(Organization organization) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", organization.id());
        view.put("name", organization.name());
        view.put("personal", organization.personal());
        view.put("require_mfa", organization.requireMfa());
        view.put("created_at", organization.createdAt().toString());
        view.put("created_by", organization.createdBy());
        return view;
    }

    private static Map<String, Object> memberOrganization(MemberOrganization membership) {
        Map<String, Object> view = organization(membership.organization());
        view.put("role", membership.role().text());
        return view;
    }

    private static Map<String, Object> member(Member member) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("user_id", member.userId());
        view.put("role", member.role().text());
        view.put("joined_at", member.joinedAt().toString());
        return view;
    }

    /** An invitation as its organization's inviters see it: the address, never the token or its hash. */
    private static Map<String, Object> invitation(Invitation invitation, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", invitation.id());
        view.put("email", invitation.email());
        view.put("role", invitation.role().text());
        view.put("status", invitation.status(now));
        view.put("invited_by", invitation.invitedBy());
        view.put("created_at", invitation.createdAt().toString());
        view.put("expires_at", invitation.expiresAt().toString());
        return view;
    }
}
