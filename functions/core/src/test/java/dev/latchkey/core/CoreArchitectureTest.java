package dev.latchkey.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core stays framework-free (STYLE.md §1, §9): no Spring, no AWS SDK or Lambda runtime, no JDBC,
 * no Jakarta EE. Adapters for those live in {@code infrastructure} and the function modules.
 */
class CoreArchitectureTest {

    private static final String[] FORBIDDEN = {
        "org.springframework..",
        "software.amazon..",
        "com.amazonaws..",
        "com.amazon..",
        "java.sql..",
        "javax.sql..",
        "jakarta..",
    };

    private static final ArchRule CORE_IS_FRAMEWORK_FREE = noClasses()
            .that().resideInAPackage("dev.latchkey.core..")
            .should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN)
            .because("the core must run without Spring, AWS, JDBC or Jakarta on the classpath");

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.latchkey.core");
    }

    @Test
    void importWhenProductionOnlyThenCoreClassesPresentAndTestsAbsent() {
        assertThat(production).extracting(JavaClass::getName)
                .contains(Router.class.getName(), Json.class.getName())
                .doesNotContain(ForbiddenDependencyFixture.class.getName(), CoreArchitectureTest.class.getName());
        assertThat(production.size()).isGreaterThan(20);
    }

    @Test
    void coreWhenImportedThenDependsOnNoFrameworkJdbcOrJakarta() {
        CORE_IS_FRAMEWORK_FREE.check(production);
    }

    @Test
    void ruleWhenClassUsesJavaSqlThenViolationReported() {
        JavaClasses offending = new ClassFileImporter().importClasses(ForbiddenDependencyFixture.class);

        EvaluationResult result = CORE_IS_FRAMEWORK_FREE.evaluate(offending);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains("java.sql.Timestamp"));
    }
}
