package dev.latchkey.core;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.latchkey.core.cyclicfixturea.CyclicFixtureA;
import dev.latchkey.core.cyclicfixtureb.CyclicFixtureB;
import dev.latchkey.core.principal.Caller;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's concept packages form no cycle (issue 13 §3, docs/architecture.md "Package dependencies"): each
 * package {@code dev.latchkey.core.<name>} with its sub-packages is one slice, and no slice reaches itself through
 * others. Shared vocabulary sits in {@code principal}, below the concepts; a use case that composes two concepts
 * lives in the package that depends on the other, never in both directions.
 */
class CorePackageCyclesTest {

    static final ArchRule CORE_PACKAGES_ARE_ACYCLIC = slices().matching("dev.latchkey.core.(*)..")
            .should().beFreeOfCycles()
            .because("a concept package that reaches itself through others cannot be understood, tested or moved "
                    + "on its own (issue 13 §3)");

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.latchkey.core");
    }

    @Test
    void importWhenProductionOnlyThenVocabularyPresentAndFixturesAbsent() {
        assertThat(production).extracting(JavaClass::getName)
                .contains(Caller.class.getName())
                .doesNotContain(CyclicFixtureA.class.getName(), CyclicFixtureB.class.getName());
    }

    @Test
    void coreWhenImportedThenNoPackageCycle() {
        CORE_PACKAGES_ARE_ACYCLIC.check(production);
    }

    @Test
    void ruleWhenTwoPackagesUseEachOtherThenCycleReported() {
        JavaClasses cyclic = new ClassFileImporter().importClasses(CyclicFixtureA.class, CyclicFixtureB.class);

        EvaluationResult result = CORE_PACKAGES_ARE_ACYCLIC.evaluate(cyclic);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("cyclicfixturea").contains("cyclicfixtureb"));
    }
}
