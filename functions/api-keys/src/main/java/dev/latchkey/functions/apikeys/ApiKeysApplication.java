package dev.latchkey.functions.apikeys;

import dev.latchkey.core.access.Authorizer;
import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The api-keys function's {@code MAIN_CLASS}: an organization's API keys (create, list, show, revoke, roll,
 * delete, stats) and {@code POST /v1/api-keys/verify} (API.md "api-keys"), over the use cases the
 * {@link CompositionRoot} wires at init. Callers of the organization routes are users (access tokens, checked
 * against the signing keys like the login function does) or API keys; the {@link Authorizer} reads a user's
 * role from the membership item at each request. No priming route: every route needs a credential or a body.
 *
 * <p>Needs {@code LATCHKEY_ISSUER} at init (the access tokens' issuer and audience): without it the function
 * fails with a {@code ConfigException} naming the variable.
 */
public final class ApiKeysApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "api-keys";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(ApiKeysApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(CompositionRoot root) {
        return ApiKeysEndpoints.routes(new ApiKeysEndpoints.UseCases(
                root.callerAuthentication(),
                root.authorizer(),
                root.manageApiKeys(),
                root.verifyApiKey(),
                root.showVerificationAnalytics(),
                root.clock()));
    }
}
