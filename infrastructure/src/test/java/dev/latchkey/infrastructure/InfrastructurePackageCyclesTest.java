package dev.latchkey.infrastructure;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.latchkey.infrastructure.cyclicfixturea.CyclicFixtureA;
import dev.latchkey.infrastructure.cyclicfixtureb.CyclicFixtureB;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter packages form no cycle (issue 13 §3, docs/architecture.md "Package dependencies"): each package
 * {@code dev.latchkey.infrastructure.<name>} with its sub-packages is one slice, and no slice reaches itself through
 * others. Table-wide key formats that two adapters share sit in {@code dynamodb}, below them.
 */
class InfrastructurePackageCyclesTest {

    static final ArchRule INFRASTRUCTURE_PACKAGES_ARE_ACYCLIC = slices()
            .matching("dev.latchkey.infrastructure.(*)..")
            .should().beFreeOfCycles()
            .because("an adapter package that reaches itself through others cannot be split or moved on its own "
                    + "(issue 13 §3)");

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.latchkey.infrastructure");
    }

    @Test
    void importWhenProductionOnlyThenAdaptersPresentAndFixturesAbsent() {
        assertThat(production).extracting(JavaClass::getName)
                .contains(LatchkeyTable.class.getName())
                .doesNotContain(CyclicFixtureA.class.getName(), CyclicFixtureB.class.getName());
    }

    @Test
    void infrastructureWhenImportedThenNoPackageCycle() {
        INFRASTRUCTURE_PACKAGES_ARE_ACYCLIC.check(production);
    }

    @Test
    void ruleWhenTwoPackagesUseEachOtherThenCycleReported() {
        JavaClasses cyclic = new ClassFileImporter().importClasses(CyclicFixtureA.class, CyclicFixtureB.class);

        EvaluationResult result = INFRASTRUCTURE_PACKAGES_ARE_ACYCLIC.evaluate(cyclic);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("cyclicfixturea").contains("cyclicfixtureb"));
    }
}
