package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.QueryParameters;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.mfa.ResetMemberMfa;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import java.util.Map;

/**
 * {@code DELETE /v1/orgs/{orgId}/members/{userId}/mfa} ({@code member:remove}; docs/mfa.md "Administrator reset"):
 * an owner or admin removes a member's second factor → 204. Authenticate → authorize in the path's organization
 * ({@link OrgRoutes}) → {@link ResetMemberMfa} (user only, step-up, member of this organization, role grantable,
 * audited {@code mfa.reset}, mailed to the member). No body.
 */
final class MemberMfaEndpoints {

    static final String RESET = "DELETE /v1/orgs/{orgId}/members/{userId}/mfa";

    /** The route → permission table of this area: whoever may remove the member may reset their second factor. */
    static final Map<String, String> PERMISSIONS = Map.of(RESET, Permissions.MEMBER_REMOVE);

    private MemberMfaEndpoints() {
    }

    static void register(Router.Builder routes, OrgRoutes shared, ResetMemberMfa reset) {
        routes.route(RESET, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(RESET));
            QueryParameters.none(request);
            reset.reset(access, request.pathParameter("userId"), RequestOrigin.of(request));
            return HttpResponse.noContent();
        });
    }
}
