package dev.latchkey.infrastructure.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.login.LoginThrottle;
import dev.latchkey.core.login.ThrottlePolicy;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DynamoDbLoginAttemptsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final ThrottlePolicy POLICY = ThrottlePolicy.defaults();

    private static EmulatedTable emulated;
    private final MutableClock clock = new MutableClock(T0);

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private DynamoDbLoginAttempts attempts() {
        return new DynamoDbLoginAttempts(emulated.client(), EmulatedTable.TABLE, POLICY.memory(), clock);
    }

    private static String account() {
        return LoginThrottle.accountKey(UUID.randomUUID() + "@example.com");
    }

    @Test
    void failuresCountLockFromTheSixthAndLockedAttemptsNeitherCountNorExtend() {
        var store = attempts();
        String account = account();
        for (int i = 1; i <= 5; i++) {
            assertThat(store.recordFailure(account, clock.instant(), POLICY).lockedAt(clock.instant())).isFalse();
        }
        var sixth = store.recordFailure(account, clock.instant(), POLICY);
        assertThat(sixth.failures()).isEqualTo(6);
        assertThat(sixth.lockedUntil()).isEqualTo(T0.plusSeconds(1));
        var whileLocked = store.recordFailure(account, clock.instant().plusMillis(500), POLICY);
        assertThat(whileLocked.failures()).isEqualTo(6);
        assertThat(whileLocked.lockedUntil()).isEqualTo(T0.plusSeconds(1));
        assertThat(store.current(account)).hasValue(sixth);
    }

    @Test
    void resetForgetsAndAStaleStreakRestartsFromZero() {
        var store = attempts();
        String account = account();
        store.recordFailure(account, clock.instant(), POLICY);
        store.reset(account);
        assertThat(store.current(account)).isEmpty();
        store.recordFailure(account, clock.instant(), POLICY);
        store.recordFailure(account, clock.instant(), POLICY);
        clock.advance(POLICY.memory());
        assertThat(store.current(account)).as("older than the memory: forgotten").isEmpty();
        assertThat(store.recordFailure(account, clock.instant(), POLICY).failures()).isEqualTo(1);
    }

    /** Concurrent failures are all counted: no lost update lets an attacker guess for free. */
    @Test
    void parallelFailuresAreCountedExactly() throws Exception {
        var store = attempts();
        String account = account();
        var pool = Executors.newFixedThreadPool(5);
        try {
            var calls = IntStream.range(0, 5)
                    .mapToObj(i -> (Callable<Long>) () -> store.recordFailure(account, T0, POLICY).failures())
                    .toList();
            for (var future : pool.invokeAll(calls)) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.current(account).orElseThrow().failures()).isEqualTo(5);
    }

    @Test
    void accountKeysMustBeDigestsNeverEmails() {
        assertThatThrownBy(() -> attempts().current("ada@example.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storeDownThenUnavailable() {
        try (EmulatedTable own = EmulatedTable.start()) {
            var store = new DynamoDbLoginAttempts(own.client(), EmulatedTable.TABLE, Duration.ofDays(7), clock);
            own.dynoxide().stop();
            assertThatThrownBy(() -> store.current(account())).isInstanceOf(StoreUnavailableException.class);
        }
    }
}
