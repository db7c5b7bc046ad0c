package dev.latchkey.core.store;

/**
 * The one DynamoDB table every piece of Latchkey's state lives in, seen from the core. Each
 * concept adds its own repository port next to its use cases (for example {@code UserRepository});
 * this port covers what is common to the table as a whole.
 */
public interface TableStore {

    /**
     * Checks that the table answers a strongly consistent read now (for readiness).
     *
     * @throws StoreUnavailableException when it does not within the configured timeout
     */
    void check();

    /** The table's name, for reports. */
    String tableName();
}
