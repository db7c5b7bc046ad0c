package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;

/** The orgs routes of organizations, members and invitations (owned by the organizations work). */
final class OrganizationEndpoints {

    private OrganizationEndpoints() {
    }

    static void register(Router.Builder routes, OrgRoutes shared, LatchkeyRuntime runtime) {
    }
}
