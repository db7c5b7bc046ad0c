package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;

/** The orgs routes of the organization's audit log. */
final class AuditEndpoints {

    private AuditEndpoints() {
    }

    static void register(Router.Builder routes, OrgRoutes shared, LatchkeyRuntime runtime) {
    }
}
