package dev.latchkey.infrastructure.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.Route;
import dev.latchkey.core.http.Router;
import java.util.Optional;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.json.JacksonMapper;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * Base of every function module's {@code MAIN_CLASS}: functional bean registration (no classpath
 * scanning, no auto-configuration) of the shared {@link LatchkeyRuntime} and its {@link CompositionRoot}, the API
 * Gateway event converter ({@link ApiGatewayEventConverter}), and one {@link ApiGatewayFunction} bean named after the
 * function, whose routes take what they need from the root.
 *
 * <p>The local server applies several of these to one context; shared beans are registered only
 * once, so every function there uses the same runtime and the same root.
 */
public abstract class LatchkeyFunctionApplication implements ApplicationContextInitializer<GenericApplicationContext> {

    /** Bean name of the shared runtime. */
    public static final String RUNTIME_BEAN = "latchkeyRuntime";

    /** Bean name of the shared composition root, built over the {@value #RUNTIME_BEAN} bean. */
    public static final String ROOT_BEAN = "latchkeyRoot";

    /** The function's bean name ({@code SPRING_CLOUD_FUNCTION_DEFINITION}). */
    protected abstract String functionName();

    /** The function's routes over the use cases the root wires. */
    protected abstract Router routes(CompositionRoot root);

    /**
     * A read-only route without path variables that SnapStart priming sends through the function
     * before the snapshot (see {@link SnapStartPriming}); empty for no priming.
     */
    protected Optional<String> primingRoute() {
        return Optional.empty();
    }

    @Override
    public void initialize(GenericApplicationContext context) {
        registerShared(context);
        registerFunction(context);
    }

    /**
     * Registers what every function of one container shares: the runtime built from the
     * environment, its composition root, the AWS message converter ({@code FunctionInvoker} only), and Spring Cloud
     * Function's JSON mapper without Joda-Time ({@link FunctionJsonMapper}).
     */
    public static void registerShared(GenericApplicationContext context) {
        if (!context.containsBeanDefinition(RUNTIME_BEAN)) {
            context.registerBean(RUNTIME_BEAN, LatchkeyRuntime.class, () -> {
                var environment = LatchkeyRuntime.environment();
                return LatchkeyRuntime.create(
                        LatchkeyConfig.fromEnvironment(environment, LatchkeyRuntime.buildVersion()), environment);
            });
        }
        if (!context.containsBeanDefinition("latchkeyJsonMapper")) {
            context.registerBean("latchkeyJsonMapper", FunctionJsonMapper.class, FunctionJsonMapper::new);
        }
        if (!context.containsBeanDefinition("awsTypesMessageConverter")) {
            // Functional registration skips auto-configuration, AWSCompanionAutoConfiguration included; its
            // converter needs aws-lambda-java-serialization, which no zip carries: the event is read by ours.
            context.registerBean("awsTypesMessageConverter", MessageConverter.class,
                    () -> new ApiGatewayEventConverter(context.getBeansOfType(JsonMapper.class).isEmpty()
                            ? new JacksonMapper(new tools.jackson.databind.ObjectMapper())
                            : context.getBean(JsonMapper.class)));
        }
        registerRoot(context);
    }

    /**
     * Registers the {@value #ROOT_BEAN} bean over the {@value #RUNTIME_BEAN} bean, unless registered already: one
     * root per context, so the functions of one container share every part.
     */
    public static void registerRoot(GenericApplicationContext context) {
        if (!context.containsBeanDefinition(ROOT_BEAN)) {
            context.registerBean(ROOT_BEAN, CompositionRoot.class,
                    () -> new CompositionRoot(context.getBean(RUNTIME_BEAN, LatchkeyRuntime.class)));
        }
    }

    /**
     * Registers this function's bean, wired from the {@value #ROOT_BEAN} bean over the {@value #RUNTIME_BEAN} bean
     * (which the caller registers: {@link #registerShared} in Lambda, the local server's own runtime locally).
     */
    public void registerFunction(GenericApplicationContext context) {
        String name = functionName();
        registerRoot(context);
        context.registerBean(name, FunctionRegistration.class, () -> {
            CompositionRoot root = context.getBean(ROOT_BEAN, CompositionRoot.class);
            ApiGatewayFunction function = new ApiGatewayFunction(name,
                    new HttpApplication(routes(root), root.config().maxBodyBytes()),
                    EdgeOrigin.of(root.config().edgeOriginSecret()), root.metrics());
            return new FunctionRegistration<>(function, name).type(ResolvableType
                    .forClassWithGenerics(java.util.function.Function.class, APIGatewayV2HTTPEvent.class,
                            APIGatewayV2HTTPResponse.class)
                    .getType());
        });
        // Every function is primed: its hot path (HotPathPriming), the parts its routes defer to their first use, the
        // health check's read-only store requests, and its read-only route if it has one.
        context.registerBean(name + "SnapStartPriming", SnapStartPriming.class,
                () -> new SnapStartPriming(function(context, name), primingRoute().map(Route::parse),
                        () -> context.getBean(ROOT_BEAN, CompositionRoot.class).warmUp(),
                        () -> context.getBean(ROOT_BEAN, CompositionRoot.class).checkHealth().check()).register());
    }

    /** The function bean registered under {@code name} in a refreshed context. */
    public static ApiGatewayFunction function(GenericApplicationContext context, String name) {
        return (ApiGatewayFunction) context.getBean(name, FunctionRegistration.class).getTarget();
    }
}
