package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;

/** The orgs routes of service clients and their credentials. */
final class ClientEndpoints {

    private ClientEndpoints() {
    }

    static void register(Router.Builder routes, OrgRoutes shared, LatchkeyRuntime runtime) {
    }
}
