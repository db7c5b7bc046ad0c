package dev.latchkey.functions.orgs;

import dev.latchkey.core.access.Authorizer;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.login.CallerAuthentication;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.util.Objects;

/**
 * What every orgs route shares: who calls ({@link CallerAuthentication}: a user's access token or an API key, never
 * from the query string), may it ({@link Authorizer}, in the organization of the path), and the strict query
 * checks. Authentication and authorization run before any parsing, so a caller that is not allowed learns nothing
 * from validation, and 401/403/404 never depend on the body.
 *
 * @param callers who calls a route: a user's access token or an API key (the user-only routes refuse a key
 *     themselves, 403 {@code USER_REQUIRED})
 * @param authorizer may the caller use a permission in the path's organization
 * @param clock response times
 */
record OrgRoutes(CallerAuthentication callers, Authorizer authorizer, Clock clock) {

    OrgRoutes {
        Objects.requireNonNull(callers, "callers");
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(clock, "clock");
    }

    /** Authenticates the caller and authorizes {@code permission} in the path's {@code {orgId}}. */
    OrgAccess authorize(HttpRequest request, String permission) {
        Caller caller = callers.authenticate(request);
        return authorizer.authorize(caller, request.pathParameter("orgId"), permission, RequestOrigin.of(request));
    }
}
