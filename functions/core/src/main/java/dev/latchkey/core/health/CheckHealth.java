package dev.latchkey.core.health;

import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.KeyRingRepository;
import dev.latchkey.core.store.TableStore;
import dev.latchkey.core.vault.KeyVault;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers whether this function can serve requests: the table and the key vault are each checked
 * for real, every time (no cached verdict), so a broken dependency shows at once and recovery too.
 */
public final class CheckHealth {

    private final TableStore table;
    private final KeyVault keyVault;
    private final Clock clock;
    private final String version;
    private final Optional<KeyRingRepository> keyRing;
    private final KeyPolicy keyPolicy;
    private final String tableName;

    /**
     * Readiness only: no key ring detail.
     *
     * @param table the table
     * @param keyVault the key vault
     * @param clock for measuring each check
     * @param version the running version, reported as is
     */
    public CheckHealth(TableStore table, KeyVault keyVault, Clock clock, String version) {
        this(table, keyVault, Optional.empty(), KeyPolicy.defaults(), clock, version, "");
    }

    /**
     * @param table the table
     * @param keyVault the key vault
     * @param keyRing the signing-key ring, read by {@link #keyRing()} (the detail of {@code GET /health} only)
     * @param keyPolicy when keys rotate
     * @param clock for measuring each check
     * @param version the running version, reported as is
     * @param tableName the table's name, reported as is
     */
    public CheckHealth(TableStore table, KeyVault keyVault, Optional<KeyRingRepository> keyRing, KeyPolicy keyPolicy,
            Clock clock, String version, String tableName) {
        this.table = table;
        this.keyVault = keyVault;
        this.keyRing = keyRing;
        this.keyPolicy = keyPolicy;
        this.clock = clock;
        this.version = version;
        this.tableName = tableName;
    }

    /** The table's name (empty when not given). */
    public String tableName() {
        return tableName;
    }

    /**
     * The key ring's state: one consistent read of the ring's partition, every call. Never throws: a failing
     * read is reported as down. Empty without a ring.
     */
    public Optional<KeyRingStatus> keyRing() {
        return keyRing.map(ring -> {
            try {
                return KeyRingStatus.of(ring.load(), keyPolicy, clock.instant());
            } catch (RuntimeException e) {
                return KeyRingStatus.down();
            }
        });
    }

    /** Runs every check. Never throws: a failing check is reported as down. */
    public HealthReport check() {
        Map<String, HealthReport.Check> checks = new LinkedHashMap<>();
        checks.put("dynamodb", run(() -> {
            table.check();
            return null;
        }));
        checks.put("key_vault", run(() -> {
            keyVault.check();
            return null;
        }));
        return new HealthReport(version, checks);
    }

    private HealthReport.Check run(Supplier<Void> check) {
        long start = clock.millis();
        try {
            check.get();
            return new HealthReport.Check(HealthReport.Status.UP, clock.millis() - start);
        } catch (RuntimeException e) {
            // The cause is the adapter's business (it logs it); the report says only up or down.
            return new HealthReport.Check(HealthReport.Status.DOWN, clock.millis() - start);
        }
    }
}
