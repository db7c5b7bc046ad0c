package dev.latchkey.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.InMemoryKeyRingRepository;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.KeyRing;
import dev.latchkey.core.keys.KeyRingRepository;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.store.InMemoryTableStore;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.InMemoryKeyVault;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 17 item 7: {@code GET /health}'s key ring detail (active kid, age, next rotation), read fresh each time. */
class KeyRingHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryKeyRingRepository ring = new InMemoryKeyRingRepository();
    private final KeyPolicy policy = KeyPolicy.defaults();

    private CheckHealth checkHealth(KeyRingRepository repository) {
        return new CheckHealth(InMemoryTableStore.up(), new InMemoryKeyVault(), Optional.of(repository), policy, clock,
                "1.0.0", "latchkey");
    }

    @Test
    void keyRingWhenRotatedThenActiveKidAgeAndNextRotationReported() {
        String active = new RotateSigningKeys(ring, new InMemoryKeyVault(), policy, new InMemoryAuditLog(clock),
                new SortableIdGenerator(clock, new SecureRandom()), clock, new SecureRandom()).run("test").activeKid();
        clock.advance(Duration.ofHours(5));

        KeyRingStatus status = checkHealth(ring).keyRing().orElseThrow();

        assertThat(status.status()).isEqualTo(HealthReport.Status.UP);
        assertThat(status.activeKid()).hasValue(active);
        assertThat(status.activeAge()).hasValue(Duration.ofHours(5));
        assertThat(status.nextRotation()).hasValue(T0.plus(policy.rotationInterval()));
        assertThat(status.nextKid()).isPresent().isNotEqualTo(Optional.of(active));
        assertThat(status.keys()).isEqualTo(4); // ES256 and RS256 (ID tokens), each active and next
        assertThat(checkHealth(ring).tableName()).isEqualTo("latchkey");
    }

    @Test
    void keyRingWhenEmptyThenUpWithoutActiveKey() {
        KeyRingStatus status = checkHealth(ring).keyRing().orElseThrow();

        assertThat(status.status()).isEqualTo(HealthReport.Status.UP);
        assertThat(status.activeKid()).isEmpty();
        assertThat(status.nextRotation()).isEmpty();
        assertThat(status.keys()).isZero();
    }

    @Test
    void keyRingWhenStoreFailsThenDownAndNoThrow() {
        KeyRingRepository failing = new KeyRingRepository() {
            @Override
            public KeyRing load() {
                throw new StoreUnavailableException(new RuntimeException("throttled"));
            }

            @Override
            public void commit(long expectedVersion, List<dev.latchkey.core.token.SigningKey> upserts,
                    List<String> removedKids) {
                throw new UnsupportedOperationException();
            }
        };

        assertThat(checkHealth(failing).keyRing()).hasValue(KeyRingStatus.down());
    }

    @Test
    void keyRingWhenReadinessOnlyConstructorThenNoDetailAndRingNeverRead() {
        CheckHealth readiness = new CheckHealth(InMemoryTableStore.up(), new InMemoryKeyVault(), clock, "1.0.0");

        assertThat(readiness.keyRing()).isEmpty();
        readiness.check();
        assertThat(ring.loads()).isZero();
    }
}
