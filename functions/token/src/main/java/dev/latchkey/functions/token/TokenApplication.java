package dev.latchkey.functions.token;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The token function's {@code MAIN_CLASS}: {@code POST /oauth/token} (authorization code, refresh, API-key
 * token-exchange, client-credentials and jwt-bearer grants), {@code POST /oauth/revoke},
 * {@code POST /oauth/introspect} and {@code GET/POST /oauth/userinfo}, over
 * the use cases the {@link CompositionRoot} wires at init. No SnapStart priming route: every route writes (a
 * rate-limit counter at least).
 *
 * <p>The issuer ({@code LATCHKEY_ISSUER}) is read when the first token is issued or checked, not at start-up,
 * so that error responses need no issuer configured.
 */
public final class TokenApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "token";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(TokenApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(CompositionRoot root) {
        return TokenEndpoints.routes(root.oauthProtocol(), root.userInfo(), root.rateLimiter(),
                root.config().limits(), root.clock());
    }
}
