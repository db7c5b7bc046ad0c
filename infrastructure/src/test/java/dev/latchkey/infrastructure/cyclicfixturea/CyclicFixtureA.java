package dev.latchkey.infrastructure.cyclicfixturea;

import dev.latchkey.infrastructure.cyclicfixtureb.CyclicFixtureB;

/**
 * Test-only half of a package cycle on purpose ({@code cyclicfixturea} ↔ {@code cyclicfixtureb}), so
 * {@link dev.latchkey.infrastructure.InfrastructurePackageCyclesTest} can prove its rule reports a cycle when one
 * exists.
 */
public final class CyclicFixtureA {

    private CyclicFixtureA() {
    }

    /** Uses the other package. */
    public static CyclicFixtureB other() {
        return CyclicFixtureB.create();
    }

    /** Used by the other package. */
    public static CyclicFixtureA create() {
        return new CyclicFixtureA();
    }
}
