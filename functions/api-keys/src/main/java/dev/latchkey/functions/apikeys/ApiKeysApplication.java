package dev.latchkey.functions.apikeys;

import dev.latchkey.core.access.Authorizer;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.login.CallerAuthentication;
import dev.latchkey.infrastructure.access.DynamoDbMembershipDirectory;
import dev.latchkey.infrastructure.apikey.ApiKeyComponents;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.login.Bearers;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The api-keys function's {@code MAIN_CLASS}: an organization's API keys (create, list, show, revoke, roll,
 * delete, stats) and {@code POST /v1/api-keys/verify} (API.md "api-keys"), wired from the runtime at init
 * through {@link ApiKeyComponents}. Callers of the organization routes are users (access tokens, checked
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
    protected Router routes(LatchkeyRuntime runtime) {
        ApiKeyComponents apiKeys = ApiKeyComponents.of(runtime);
        BearerAuthentication bearer = Bearers.of(runtime);
        Authorizer authorizer = new Authorizer(
                new DynamoDbMembershipDirectory(runtime.dynamoDb(), runtime.config().tableName()),
                runtime.auditLog(), runtime.ids(), runtime.clock());
        return ApiKeysEndpoints.routes(new ApiKeysEndpoints.UseCases(
                new CallerAuthentication(bearer, apiKeys.verify()), authorizer, apiKeys.manage(), apiKeys.verify(),
                runtime.clock()));
    }
}
