package dev.latchkey.core.store;

import java.util.concurrent.atomic.AtomicInteger;

/** In-memory {@link TableStore} for unit tests: answers or fails on demand, and counts checks. */
public final class InMemoryTableStore implements TableStore {

    private final String tableName;
    private final AtomicInteger checks = new AtomicInteger();
    private volatile RuntimeException failure;

    public InMemoryTableStore(String tableName) {
        this.tableName = tableName;
    }

    /** A store whose checks pass. */
    public static InMemoryTableStore up() {
        return new InMemoryTableStore("latchkey-test");
    }

    /** Makes every later check throw {@code failure}; {@code null} makes them pass again. */
    public InMemoryTableStore failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    /** How many times {@link #check()} was called. */
    public int checkCount() {
        return checks.get();
    }

    @Override
    public void check() {
        checks.incrementAndGet();
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }

    @Override
    public String tableName() {
        return tableName;
    }
}
