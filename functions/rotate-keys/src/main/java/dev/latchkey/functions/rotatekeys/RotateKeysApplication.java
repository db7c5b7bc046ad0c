package dev.latchkey.functions.rotatekeys;

import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.util.Map;
import java.util.function.Function;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.FunctionalSpringApplication;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * The rotate-keys function's {@code MAIN_CLASS}: an EventBridge schedule (hourly, see
 * template.yaml) invokes it with a scheduled event; it runs one {@link RotateSigningKeys} pass and
 * answers what the pass did. The local server runs the same pass at start-up and hourly.
 */
public final class RotateKeysApplication implements ApplicationContextInitializer<GenericApplicationContext> {

    /** The function's bean name ({@code SPRING_CLOUD_FUNCTION_DEFINITION}). */
    public static final String FUNCTION = "rotate-keys";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(RotateKeysApplication.class, args);
    }

    @Override
    public void initialize(GenericApplicationContext context) {
        LatchkeyFunctionApplication.registerShared(context);
        register(context);
    }

    /** Registers the function bean, wired from the shared composition root bean. */
    public static void register(GenericApplicationContext context) {
        LatchkeyFunctionApplication.registerRoot(context);
        context.registerBean(FUNCTION, FunctionRegistration.class, () -> {
            CompositionRoot root = context.getBean(LatchkeyFunctionApplication.ROOT_BEAN, CompositionRoot.class);
            RotateKeysFunction function = new RotateKeysFunction(root.rotateSigningKeys());
            return new FunctionRegistration<>(function, FUNCTION).type(ResolvableType
                    .forClassWithGenerics(Function.class, ResolvableType.forClassWithGenerics(Map.class, String.class,
                            Object.class), ResolvableType.forClassWithGenerics(Map.class, String.class, Object.class))
                    .getType());
        });
    }
}
