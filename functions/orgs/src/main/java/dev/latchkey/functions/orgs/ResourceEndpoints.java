package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;

/** The orgs routes of resources and their grants. */
final class ResourceEndpoints {

    private ResourceEndpoints() {
    }

    static void register(Router.Builder routes, OrgRoutes shared, LatchkeyRuntime runtime) {
    }
}
