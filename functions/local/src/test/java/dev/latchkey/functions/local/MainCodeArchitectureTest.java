package dev.latchkey.functions.local;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.latchkey.core.http.Router;
import dev.latchkey.functions.orgs.OrgsApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules over the main code of every module (issue 13 "one composition root"), in the local server's module because
 * it sees them all: core, infrastructure and every function.
 *
 * <p><b>No static mutable state</b> (STYLE.md §6): every part lives in an instance — a runtime, its
 * {@link CompositionRoot} — so two runtimes (two tests, the local server and a test) never share a cache. A static
 * field is final, and neither its declared type nor what its class's static initializer builds is a mutable
 * collection, map or atomic holder ({@code static final Map<…> X = new WeakHashMap<>()} fails as well as
 * {@code static HashMap<…> x}). Immutable constants ({@code Map.of}, {@code List.of}, private byte arrays) pass.
 *
 * <p><b>Function modules take wired parts.</b> A function's classes see infrastructure only through its Lambda
 * glue ({@code infrastructure.lambda}) and the {@link CompositionRoot} ({@code infrastructure.wiring}): no endpoint
 * or {@code Application} builds an adapter. The local server, which starts the emulator and the runtime, is exempt.
 */
class MainCodeArchitectureTest {

    /** Mutable holders by their class: anything under these that is not an interface. */
    private static final List<Class<?>> MUTABLE_ROOTS = List.of(Collection.class, Map.class);

    private static final ArchCondition<JavaField> HOLD_NO_MUTABLE_STATE = new ArchCondition<>(
            "be final and hold no mutable collection, map or atomic value") {
        @Override
        public void check(JavaField field, ConditionEvents events) {
            if (!field.getModifiers().contains(JavaModifier.FINAL)) {
                events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is static and not final"));
            }
            if (mutable(field.getRawType())) {
                events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is of the mutable type "
                        + field.getRawType().getName()));
            }
            field.getOwner().getStaticInitializer().ifPresent(initializer -> {
                for (JavaConstructorCall call : initializer.getConstructorCallsFromSelf()) {
                    JavaClass built = call.getTargetOwner();
                    if (mutable(built) && load(field.getRawType()).flatMap(declared -> load(built)
                            .map(declared::isAssignableFrom)).orElse(false)) {
                        events.add(SimpleConditionEvent.violated(field, field.getFullName()
                                + " may hold the " + built.getName() + " its class's static initializer builds ("
                                + call.getSourceCodeLocation() + ")"));
                    }
                }
            });
        }
    };

    static final ArchRule NO_STATIC_MUTABLE_STATE = fields()
            .that().areStatic()
            .and().doNotHaveModifier(JavaModifier.SYNTHETIC)
            .should(HOLD_NO_MUTABLE_STATE)
            .because("state lives in a runtime and its composition root, never in a class (STYLE.md §6)");

    static final ArchRule FUNCTIONS_TAKE_WIRED_PARTS = noClasses()
            .that().resideInAPackage("dev.latchkey.functions..")
            .and().resideOutsideOfPackage("dev.latchkey.functions.local..")
            .should().dependOnClassesThat(resideInAPackage("dev.latchkey.infrastructure..")
                    .and(not(resideInAnyPackage("dev.latchkey.infrastructure.lambda..",
                            "dev.latchkey.infrastructure.wiring.."))))
            .because("adapters are built once, in the composition root; endpoints receive use cases");

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.latchkey");
    }

    /**
     * Mutable holders, judged on the loaded class: the import may not resolve JDK types (an
     * {@code archunit.properties} on the class path can turn that off), reflection always can.
     */
    private static boolean mutable(JavaClass type) {
        return load(type).filter(loaded -> !loaded.isInterface() && !loaded.isArray())
                .map(loaded -> MUTABLE_ROOTS.stream().anyMatch(root -> root.isAssignableFrom(loaded))
                        || loaded.getPackageName().equals("java.util.concurrent.atomic"))
                .orElse(false);
    }

    private static Optional<Class<?>> load(JavaClass type) {
        if (type.isPrimitive() || type.isArray()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Class.forName(type.getName(), false, MainCodeArchitectureTest.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    @Test
    void importWhenProductionOnlyThenEveryModuleAndNoTests() {
        assertThat(production).extracting(JavaClass::getName)
                .contains(Router.class.getName(), CompositionRoot.class.getName(), OrgsApplication.class.getName(),
                        LocalServer.class.getName())
                .doesNotContain(MainCodeArchitectureTest.class.getName(), WeakCache.class.getName(),
                        "dev.latchkey.infrastructure.testing.FunctionUnderTest");
    }

    @Test
    void mainCodeWhenImportedThenHoldsNoStaticMutableState() {
        NO_STATIC_MUTABLE_STATE.check(production);
    }

    @Test
    void functionModulesWhenImportedThenUseInfrastructureOnlyThroughLambdaGlueAndTheRoot() {
        FUNCTIONS_TAKE_WIRED_PARTS.check(production);
    }

    @Test
    void ruleWhenEndpointBuildsAnAdapterThenViolationReported() {
        JavaClasses offending = new ClassFileImporter().importPackages("dev.latchkey.functions.fixture");

        EvaluationResult result = FUNCTIONS_TAKE_WIRED_PARTS.evaluate(offending);

        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("AdapterBuildingEndpointFixture")
                        .contains("DynamoDbUserProfiles"));
    }

    @Test
    void ruleWhenClassKeepsStaticCachesOrCountersThenViolationsReported() {
        JavaClasses offending = new ClassFileImporter().importClasses(WeakCache.class, Counter.class,
                ConcreteMap.class, Constants.class);

        EvaluationResult result = NO_STATIC_MUTABLE_STATE.evaluate(offending);

        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("WeakCache.BY_RUNTIME").contains("WeakHashMap"))
                .anySatisfy(line -> assertThat(line).contains("Counter.count").contains("not final"))
                .anySatisfy(line -> assertThat(line).contains("Counter.HITS").contains("AtomicLong"))
                .anySatisfy(line -> assertThat(line).contains("ConcreteMap.BY_NAME").contains("java.util.HashMap"))
                .noneSatisfy(line -> assertThat(line).contains("Constants"));
    }

    /** Like the {@code *Components.of(runtime)} caches this rule replaced. */
    static final class WeakCache {
        private static final Map<Object, Object> BY_RUNTIME = new WeakHashMap<>();

        static Object of(Object runtime) {
            return BY_RUNTIME.computeIfAbsent(runtime, r -> new Object());
        }
    }

    /** A global counter, twice. */
    static final class Counter {
        private static int count;
        private static final AtomicLong HITS = new AtomicLong();

        static long next() {
            count++;
            return HITS.incrementAndGet() + count;
        }
    }

    /** A mutable type in the declaration. */
    static final class ConcreteMap {
        static final HashMap<String, String> BY_NAME = new HashMap<>();
    }

    /** What stays allowed: immutable constants. */
    static final class Constants {
        static final Map<String, String> HEADERS = Map.of("cache-control", "no-store");
        static final List<String> NAMES = List.of("a", "b");
        private static final byte[] LABEL = {1, 2};

        static int size() {
            return HEADERS.size() + NAMES.size() + LABEL.length;
        }
    }
}
