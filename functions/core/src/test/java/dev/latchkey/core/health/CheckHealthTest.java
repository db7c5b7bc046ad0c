package dev.latchkey.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.store.InMemoryTableStore;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.vault.InMemoryKeyVault;
import dev.latchkey.core.vault.KeyVaultException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CheckHealthTest {

    private final InMemoryTableStore table = InMemoryTableStore.up();
    private final InMemoryKeyVault vault = new InMemoryKeyVault();
    private final CheckHealth checkHealth = new CheckHealth(table, vault,
            Clock.fixed(Instant.parse("2025-11-25T18:00:00Z"), ZoneOffset.UTC), "1.0.0");

    @Test
    void checkWhenBothUpThenUp() {
        HealthReport report = checkHealth.check();

        assertThat(report.status()).isEqualTo(HealthReport.Status.UP);
        assertThat(report.version()).isEqualTo("1.0.0");
        assertThat(report.checks()).containsOnlyKeys("dynamodb", "key_vault");
        assertThat(report.checks().values()).allSatisfy(c -> assertThat(c.status()).isEqualTo(HealthReport.Status.UP));
        assertThat(table.checkCount()).isEqualTo(1);
        assertThat(vault.checkCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("[16.5.3] table down → DOWN, key vault still checked")
    void checkWhenTableThrowsThenDownForTableAndVaultStillChecked() {
        table.failWith(new StoreUnavailableException(new RuntimeException("throttled")));

        HealthReport report = checkHealth.check();

        assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.checks().get("dynamodb").status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.checks().get("key_vault").status()).isEqualTo(HealthReport.Status.UP);
        assertThat(vault.checkCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("[16.5.3] key vault down → DOWN, table still checked")
    void checkWhenVaultThrowsThenDownForVaultAndTableStillChecked() {
        vault.failWith(KeyVaultException.unavailable(new RuntimeException("kms timeout")));

        HealthReport report = checkHealth.check();

        assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.checks().get("key_vault").status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.checks().get("dynamodb").status()).isEqualTo(HealthReport.Status.UP);
        assertThat(table.checkCount()).isEqualTo(1);
    }

    @Test
    void checkWhenAdapterThrowsUnexpectedRuntimeExceptionThenReportedDownNotThrown() {
        table.failWith(new IllegalStateException("bug in adapter"));
        vault.failWith(new IllegalStateException("another bug"));

        HealthReport report = checkHealth.check();

        assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.checks().values()).allSatisfy(c -> assertThat(c.status())
                .isEqualTo(HealthReport.Status.DOWN));
    }

    @Test
    void checkWhenDependencyRecoversThenNextCheckUp() {
        table.failWith(new StoreUnavailableException(new RuntimeException("down")));
        assertThat(checkHealth.check().status()).isEqualTo(HealthReport.Status.DOWN);

        table.failWith(null);

        assertThat(checkHealth.check().status()).isEqualTo(HealthReport.Status.UP);
        assertThat(table.checkCount()).isEqualTo(2);
    }

    @Test
    void checkWhenClockAdvancesDuringCheckThenLatencyMeasured() {
        Clock ticking = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
        CheckHealth timed = new CheckHealth(table, vault, ticking, "1.0.0");

        HealthReport report = timed.check();

        assertThat(report.checks().values()).allSatisfy(c -> assertThat(c.latencyMillis()).isNotNegative());
    }

    @Test
    void reportWhenChecksMapChangedAfterwardsThenReportUnchanged() {
        Map<String, HealthReport.Check> checks = new LinkedHashMap<>();
        checks.put("dynamodb", new HealthReport.Check(HealthReport.Status.UP, 1));
        HealthReport report = new HealthReport("v", checks);

        checks.put("key_vault", new HealthReport.Check(HealthReport.Status.DOWN, 1));

        assertThat(report.checks()).containsOnlyKeys("dynamodb");
        assertThat(report.status()).isEqualTo(HealthReport.Status.UP);
    }
}
