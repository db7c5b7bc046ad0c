package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;

/** The orgs routes of teams and their members. */
final class TeamEndpoints {

    private TeamEndpoints() {
    }

    static void register(Router.Builder routes, OrgRoutes shared, LatchkeyRuntime runtime) {
    }
}
