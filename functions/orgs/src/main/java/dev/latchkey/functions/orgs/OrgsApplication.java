package dev.latchkey.functions.orgs;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The orgs function's {@code MAIN_CLASS}: an organization's whole access model (API.md "orgs"): the organization
 * and its members, invitations, teams, resources and their grants, service clients and their credentials, and the
 * audit log. Every organization route runs authenticate → authorize ({@link OrgRoutes}) → parse strictly → one use
 * case. Each area registers its routes from its own class.
 *
 * <p>Needs {@code LATCHKEY_ISSUER} at init (the access tokens' issuer and audience).
 */
public final class OrgsApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "orgs";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(OrgsApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(CompositionRoot root) {
        OrgRoutes shared = new OrgRoutes(root.callerAuthentication(), root.authorizer(), root.clock());
        Router.Builder routes = Router.builder();
        OrganizationEndpoints.register(routes, shared, root.manageOrganizations(), root.manageMembers(),
                root.invitations(), root.userProfiles());
        TeamEndpoints.register(routes, shared, root.manageTeams());
        ResourceEndpoints.register(routes, shared, root.manageResources(), root.manageGrants());
        ClientEndpoints.register(routes, shared, root.manageClients());
        ApplicationEndpoints.register(routes, shared, root.manageApplications());
        AuditEndpoints.register(routes, shared, root.auditLog());
        MemberMfaEndpoints.register(routes, shared, root.resetMemberMfa());
        return routes.build();
    }
}
