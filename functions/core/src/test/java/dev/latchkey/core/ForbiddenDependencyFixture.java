package dev.latchkey.core;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Test-only class that breaks the core's dependency rule on purpose (it uses {@code java.sql}), so
 * {@link CoreArchitectureTest} can prove its rule fails when such a dependency exists and that
 * test classes are left out of the production import.
 */
final class ForbiddenDependencyFixture {

    private ForbiddenDependencyFixture() {
    }

    static Timestamp now() {
        return Timestamp.from(Instant.now());
    }
}
