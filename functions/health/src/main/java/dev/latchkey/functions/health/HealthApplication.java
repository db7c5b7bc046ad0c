package dev.latchkey.functions.health;

import dev.latchkey.core.health.CheckHealth;
import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.util.Optional;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The health function's {@code MAIN_CLASS}: {@link CheckHealth} over the table and the key vault, from the
 * {@link CompositionRoot}, as the {@code health} function bean. It also serves API Gateway's
 * {@code $default} route, answering 404 or 405 for everything no route matches.
 */
public final class HealthApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "health";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(HealthApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    /** Readiness touches the table and the key vault: the paths every later request takes. */
    @Override
    protected Optional<String> primingRoute() {
        return Optional.of("GET /health/ready");
    }

    @Override
    protected Router routes(CompositionRoot root) {
        return HealthEndpoints.routes(root.checkHealth());
    }
}
