package dev.latchkey.functions.jwks;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.util.Optional;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The jwks function's {@code MAIN_CLASS}: the JSON Web Key Set and the issuer metadata every
 * verifier of Latchkey's tokens starts from.
 */
public final class JwksApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "jwks";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(JwksApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    /** The key-set read is the request every verifier makes. */
    @Override
    protected Optional<String> primingRoute() {
        return Optional.of("GET /.well-known/jwks.json");
    }

    @Override
    protected Router routes(CompositionRoot root) {
        return JwksEndpoints.routes(root.currentKeys(), root.config().issuer(), root.keyPolicy());
    }
}
