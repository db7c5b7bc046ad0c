package dev.latchkey.core.cyclicfixtureb;

import dev.latchkey.core.cyclicfixturea.CyclicFixtureA;

/**
 * Test-only other half of the package cycle of {@link CyclicFixtureA} (see there).
 */
public final class CyclicFixtureB {

    private CyclicFixtureB() {
    }

    /** Uses the other package. */
    public static CyclicFixtureA other() {
        return CyclicFixtureA.create();
    }

    /** Used by the other package. */
    public static CyclicFixtureB create() {
        return new CyclicFixtureB();
    }
}
