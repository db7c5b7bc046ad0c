package dev.latchkey.infrastructure.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.keys.ConcurrentRotationException;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.token.SigningAlgorithm;
import dev.latchkey.core.token.SigningKey;
import dev.latchkey.core.token.SigningKeyState;
import dev.latchkey.core.token.SigningKeys;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key ring in the emulated table with the real key design. One emulator per test: one ring per table. */
class DynamoDbKeyRingRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private EmulatedTable emulated;
    private DynamoDbKeyRingRepository repository;
    private final MutableClock clock = new MutableClock(T0);
    private final LocalKeyVault vault = LocalKeyVault.fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            new SecureRandom());

    @BeforeEach
    void start() {
        emulated = EmulatedTable.start();
        repository = new DynamoDbKeyRingRepository(emulated.client(), EmulatedTable.TABLE);
    }

    @AfterEach
    void stop() {
        emulated.close();
    }

    private RotateSigningKeys rotator() {
        return new RotateSigningKeys(repository, vault, KeyPolicy.defaults(),
                new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE, clock),
                new SortableIdGenerator(clock, new SecureRandom()), clock, new SecureRandom());
    }

    @Test
    void commitThenLoadRoundTripsEveryFieldAndTheSealedKeyStillOpens() {
        SigningKey key = SigningKeys.generate(vault, clock, new SecureRandom()).withState(SigningKeyState.ACTIVE, T0);
        repository.commit(0, List.of(key), List.of());
        var ring = repository.load();
        assertThat(ring.version()).isEqualTo(1);
        assertThat(ring.keys()).containsExactly(key);
        assertThat(SigningKeys.open(ring.keys().get(0), vault).kid()).isEqualTo(key.kid());
    }

    @Test
    void commitWhenVersionMovedThenConcurrentRotationAndNothingWritten() {
        SigningKey first = SigningKeys.generate(vault, clock, new SecureRandom());
        repository.commit(0, List.of(first), List.of());
        SigningKey second = SigningKeys.generate(vault, clock, new SecureRandom());
        assertThatThrownBy(() -> repository.commit(0, List.of(second), List.of()))
                .isInstanceOf(ConcurrentRotationException.class);
        assertThat(repository.load().keys()).extracting(SigningKey::kid).containsExactly(first.kid());
    }

    /** Concurrent rotations must not create two active keys. */
    @Test
    void parallelRotationsOnAnEmptyRingLeaveExactlyOneActiveAndOneNextKey() throws Exception {
        var pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<String>> runs = java.util.stream.IntStream.range(0, 6)
                    .mapToObj(i -> (Callable<String>) () -> rotator().run("parallel-" + i).activeKid()).toList();
            var actives = pool.invokeAll(runs).stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).distinct().toList();
            assertThat(actives).as("every run reports the same active key").hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        var ring = repository.load();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            assertThat(ring.keys()).filteredOn(k -> k.algorithm() == algorithm && k.state() == SigningKeyState.ACTIVE)
                    .as(algorithm.name()).hasSize(1);
            assertThat(ring.keys()).filteredOn(k -> k.algorithm() == algorithm && k.state() == SigningKeyState.NEXT)
                    .as(algorithm.name()).hasSize(1);
        }
    }

    @Test
    void rotationLifecycleThroughTheTableRetiresPublishesAndRemoves() {
        var bootstrap = rotator().run("t");
        String first = bootstrap.activeKid();
        clock.advance(KeyPolicy.defaults().rotationInterval());
        String second = rotator().run("t").activeKid();
        var keys = new CurrentKeys(repository, vault, KeyPolicy.defaults(), clock, Duration.ofMinutes(5));
        assertThat(keys.signingKey().kid()).isEqualTo(second);
        assertThat(keys.byKid(first)).isPresent();
        clock.advance(KeyPolicy.defaults().retention());
        assertThat(rotator().run("t").removed()).containsExactlyInAnyOrder(first, bootstrap.idTokenKid());
        assertThat(repository.load().byKid(first)).isEmpty();
    }

    @Test
    void loadWhenStoreDownThenStoreUnavailable() {
        emulated.dynoxide().stop();
        assertThatThrownBy(repository::load).isInstanceOf(StoreUnavailableException.class);
    }
}
