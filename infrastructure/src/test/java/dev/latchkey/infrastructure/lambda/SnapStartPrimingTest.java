package dev.latchkey.infrastructure.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Route;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.support.GenericApplicationContext;
import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {

    @Test
    void beforeCheckpointSendsTheReadOnlyRouteThroughTheWholeFunction() {
        List<String> seen = new ArrayList<>();
        var function = new ApiGatewayFunction("health", new HttpApplication(Router.builder()
                .route("GET /health/ready", request -> {
                    seen.add(request.method() + " " + request.path() + " from " + request.sourceIp());
                    return HttpResponse.noContent();
                }).build(), 1024));
        var priming = new SnapStartPriming(function, Route.parse("GET /health/ready"));
        priming.beforeCheckpoint(null);
        assertThat(seen).containsExactly("GET /health/ready from 127.0.0.1");
        assertThat(priming.primed()).isEqualTo(1);
    }

    @Test
    void beforeCheckpointWhenTheEdgeIsOnThenTheRouteIsStillPrimedWithoutTheSecret() {
        List<String> seen = new ArrayList<>();
        var function = new ApiGatewayFunction("health", new HttpApplication(Router.builder()
                .route("GET /health/ready", request -> {
                    seen.add(request.method() + " " + request.path());
                    return HttpResponse.noContent();
                }).build(), 1024), EdgeOrigin.of(Optional.of("9d1c7a4e2b8f6031c5e7a9b2d4f6081a3c5e7b9d")));
        var priming = new SnapStartPriming(function, Route.parse("GET /health/ready"));
        priming.beforeCheckpoint(null);
        assertThat(seen).as("the edge check would answer 403 and warm nothing").containsExactly("GET /health/ready");
        assertThat(priming.primed()).isEqualTo(1);
    }

    @Test
    void beforeCheckpointWhenTheDependencyFailsThenTheCheckpointStillProceeds() {
        List<String> seen = new ArrayList<>();
        var function = new ApiGatewayFunction("health", new HttpApplication(Router.builder()
                .route("GET /health/ready", request -> {
                    seen.add("called");
                    throw new IllegalStateException("table unreachable at deploy time");
                }).build(), 1024));
        var priming = new SnapStartPriming(function, Route.parse("GET /health/ready"));
        priming.beforeCheckpoint(null);
        assertThat(seen).containsExactly("called");
        assertThat(priming.primed()).isEqualTo(1);
    }

    @Test
    void beforeCheckpointRunsTheHotPathFirstSigningAndVerifyingATokenOnAThrowawayKey() {
        List<String> seen = new ArrayList<>();
        var function = new ApiGatewayFunction("token", new HttpApplication(Router.builder()
                .route("GET /health/ready", request -> {
                    seen.add("route");
                    return HttpResponse.noContent();
                }).build(), 1024));
        var probed = new java.util.concurrent.atomic.AtomicInteger();
        var priming = new SnapStartPriming(function, Optional.empty(), probed::incrementAndGet);
        priming.beforeCheckpoint(null);
        assertThat(probed).as("the read-only store probe").hasValue(1);
        assertThat(priming.hotPath().signed()).isEqualTo(1);
        assertThat(priming.hotPath().verified()).isEqualTo(1);
        assertThat(seen).as("no route: nothing is sent").isEmpty();
        assertThat(priming.primed()).isEqualTo(1);
    }

    @Test
    void beforeCheckpointBuildsTheDeferredPartsAfterTheHotPathAndBeforeTheStoreProbe() {
        List<String> seen = new ArrayList<>();
        var function = new ApiGatewayFunction("register", new HttpApplication(Router.builder().build(), 1024));
        var priming = new SnapStartPriming(function, Optional.empty(),
                () -> seen.add("deferred parts"),
                () -> {
                    seen.add("store probe");
                    throw new IllegalStateException("table unreachable at deploy time");
                });
        priming.beforeCheckpoint(null);
        assertThat(priming.hotPath().signed()).isEqualTo(1);
        assertThat(seen).containsExactly("deferred parts", "store probe");
        assertThat(priming.primed()).isEqualTo(1);
    }

    @Test
    void beforeCheckpointWhenADeferredPartFailsThenTheStoreIsStillProbed() {
        List<String> seen = new ArrayList<>();
        var function = new ApiGatewayFunction("register", new HttpApplication(Router.builder().build(), 1024));
        var priming = new SnapStartPriming(function, Optional.empty(),
                () -> {
                    throw new IllegalStateException("dictionaries unreadable");
                },
                () -> seen.add("store probe"));
        priming.beforeCheckpoint(null);
        assertThat(seen).containsExactly("store probe");
        assertThat(priming.primed()).isEqualTo(1);
    }

    @Test
    void primingWhenTheRoutesWirePasswordsThenTheEstimatorIsBuiltBeforeTheSnapshotNotAtInit() {
        try (EmulatedTable table = EmulatedTable.start()) {
            AtomicReference<CompositionRoot> wired = new AtomicReference<>();
            GenericApplicationContext context = context(table, passwordFunction(wired));
            try {
                CompositionRoot root = wired.get();
                assertThat(root.passwordStrength().isBuilt()).as("init wires the policy, loads no dictionary")
                        .isFalse();

                context.getBean("loginSnapStartPriming", SnapStartPriming.class).beforeCheckpoint(null);

                assertThat(root.passwordStrength().isBuilt()).isTrue();
            } finally {
                context.close();
            }
        }
    }

    /** A login-like function: its routes wire the password policy and hasher, as register and login do. */
    private static LatchkeyFunctionApplication passwordFunction(AtomicReference<CompositionRoot> wired) {
        return new LatchkeyFunctionApplication() {
            @Override
            protected String functionName() {
                return "login";
            }

            @Override
            protected Router routes(CompositionRoot root) {
                root.passwordPolicy();
                root.passwordHasher();
                wired.set(root);
                return Router.builder().build();
            }
        };
    }

    private static GenericApplicationContext context(EmulatedTable table, LatchkeyFunctionApplication application) {
        LatchkeyRuntime runtime = LatchkeyRuntime.create(
                LatchkeyConfig.fromEnvironment(LambdaHarness.localVariables(table), "test"), Map.of());
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean(LatchkeyFunctionApplication.RUNTIME_BEAN, LatchkeyRuntime.class, () -> runtime);
        application.registerFunction(context);
        context.refresh();
        return context;
    }

    @Test
    void everyFunctionApplicationRegistersItsPrimingEvenWithoutARoute() {
        var application = new LatchkeyFunctionApplication() {
            @Override
            protected String functionName() {
                return "token";
            }

            @Override
            protected Router routes(dev.latchkey.infrastructure.wiring.CompositionRoot root) {
                return Router.builder().build();
            }
        };
        var context = new org.springframework.context.support.GenericApplicationContext();
        application.registerFunction(context);
        assertThat(context.containsBeanDefinition("tokenSnapStartPriming")).isTrue();
    }

    @Test
    void routesWithPathVariablesCannotPrime() {
        var function = new ApiGatewayFunction("x", new HttpApplication(Router.builder().build(), 1024));
        assertThatThrownBy(() -> new SnapStartPriming(function, Route.parse("GET /v1/orgs/{orgId}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registerWithoutCracRuntimeIsHarmless() {
        var function = new ApiGatewayFunction("x", new HttpApplication(Router.builder().build(), 1024));
        var priming = new SnapStartPriming(function, Route.parse("GET /health/ready"));
        assertThat(priming.register()).isSameAs(priming);
        assertThat(priming.primed()).isZero();
    }
}
