package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ApiKeyUsage}: uses are counted without a write per verify, and a failing store never fails a verify. */
class ApiKeyUsageTest {

    private final ApiKeyFixture f = new ApiKeyFixture();

    @Test
    @DisplayName("1,000 verifies within 10 s cost at most 2 usage writes, and the counts add up after flush")
    void recordWhenThousandVerifiesWithinIntervalThenAtMostTwoWrites() {
        CreatedApiKey created = f.create();
        Instant last = null;
        for (int i = 0; i < 1000; i++) {
            assertThat(f.verify(created.token()).valid()).isTrue();
            last = f.clock.instant();
            f.clock.advance(Duration.ofMillis(9));
        }

        assertThat(f.repository.usageWrites()).as("the first use only").isEqualTo(1);
        assertThat(f.stored(created.key().id()).useCount()).isEqualTo(1);
        assertThat(f.usage.pendingUses(created.key().id())).isEqualTo(999);

        f.usage.flush();

        assertThat(f.repository.usageWrites()).isLessThanOrEqualTo(2);
        assertThat(f.stored(created.key().id()).useCount()).isEqualTo(1000);
        assertThat(f.stored(created.key().id()).lastUsedAt()).contains(last);
        assertThat(f.usage.pendingUses(created.key().id())).isZero();
    }

    @Test
    @DisplayName("after the interval the pending uses are written with the next use")
    void recordWhenIntervalPassedThenWritesPendingWithNextUse() {
        CreatedApiKey created = f.create();
        f.verify(created.token());
        f.clock.advance(Duration.ofSeconds(5));
        f.verify(created.token());
        f.verify(created.token());
        f.clock.advance(Duration.ofSeconds(5).minusMillis(1));
        f.verify(created.token());
        assertThat(f.repository.usageWrites()).isEqualTo(1);

        f.clock.advance(Duration.ofMillis(1));
        f.verify(created.token());

        assertThat(f.repository.usageWrites()).isEqualTo(2);
        assertThat(f.stored(created.key().id()).useCount()).isEqualTo(5);
        assertThat(f.stored(created.key().id()).lastUsedAt()).contains(f.clock.instant());
    }

    @Test
    @DisplayName("each key is written on its own first use and interval")
    void recordWhenTwoKeysThenEachWrittenOnFirstUse() {
        CreatedApiKey a = f.create();
        CreatedApiKey b = f.create();
        f.verify(a.token());
        f.verify(b.token());
        f.verify(a.token());

        assertThat(f.repository.usageWrites()).isEqualTo(2);
        f.usage.flush();
        assertThat(f.repository.usageWrites()).isEqualTo(3);
        assertThat(f.stored(a.key().id()).useCount()).isEqualTo(2);
        assertThat(f.stored(b.key().id()).useCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("flush with nothing pending writes nothing")
    void flushWhenNothingPendingThenNoWrite() {
        CreatedApiKey created = f.create();
        f.verify(created.token());
        f.usage.flush();
        f.usage.flush();

        assertThat(f.repository.usageWrites()).isEqualTo(1);
    }

    @Test
    @DisplayName("a failing store keeps the pending uses for the next write and never throws")
    void recordWhenStoreFailsThenKeepsPendingAndNeverThrows() {
        CreatedApiKey created = f.create();
        String keyId = created.key().id();
        f.repository.fail();

        assertThatCode(() -> {
            for (int i = 0; i < 50; i++) {
                f.usage.record(keyId);
                f.clock.advance(Duration.ofSeconds(1));
            }
            f.usage.flush();
        }).doesNotThrowAnyException();
        assertThat(f.usage.pendingUses(keyId)).isEqualTo(50);

        f.repository.heal();
        f.usage.flush();

        assertThat(f.stored(keyId).useCount()).isEqualTo(50);
        assertThat(f.usage.pendingUses(keyId)).isZero();
    }

    @Test
    @DisplayName("[16.5.3] a failing usage write does not fail the verify (warm cache, store down)")
    void verifyWhenUsageWriteFailsThenStillValid() {
        ApiKeyFixture cached = new ApiKeyFixture(Duration.ofSeconds(60));
        CreatedApiKey created = cached.create();
        assertThat(cached.verify(created.token()).valid()).isTrue();
        cached.repository.fail();
        cached.clock.advance(Duration.ofSeconds(11));

        assertThat(cached.verify(created.token()).valid()).isTrue();
        assertThat(cached.verify(created.token()).valid()).isTrue();

        cached.repository.heal();
        cached.usage.flush();
        assertThat(cached.stored(created.key().id()).useCount()).isEqualTo(3);
    }

    @Test
    @DisplayName("uses of a deleted key are dropped, never re-creating the key")
    void recordWhenKeyDeletedThenNotRecreated() {
        CreatedApiKey created = f.create();
        f.verify(created.token());
        f.clock.advance(Duration.ofSeconds(1));
        f.verify(created.token());
        f.manage.delete(f.owner, created.key().id(), ApiKeyFixture.ORIGIN);

        f.usage.flush();

        assertThat(f.repository.stored(created.key().id())).isEmpty();
        assertThat(f.usage.pendingUses(created.key().id())).isZero();
    }

    @Test
    @DisplayName("last_used_at never moves back, and a revoke does not reset the counters")
    void recordUsageWhenOlderTimeThenLastUsedKept() {
        CreatedApiKey created = f.create();
        Instant later = ApiKeyFixture.T0.plusSeconds(30);
        f.repository.recordUsage(created.key().id(), 3, later);
        f.repository.recordUsage(created.key().id(), 2, ApiKeyFixture.T0);
        f.manage.revoke(f.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        ApiKey stored = f.stored(created.key().id());
        assertThat(stored.useCount()).isEqualTo(5);
        assertThat(stored.lastUsedAt()).contains(later);
        assertThat(stored.version()).as("usage does not bump the version").isEqualTo(2);
    }

    @Test
    @DisplayName("beyond 10,000 tracked keys a new key's use is written at once instead of buffered")
    void recordWhenTrackingFullThenWrittenAtOnce() {
        for (int i = 0; i < ApiKeyUsage.MAX_TRACKED; i++) {
            f.usage.record(f.unknownKey().keyId());
        }
        assertThat(f.repository.usageWrites()).isEqualTo(ApiKeyUsage.MAX_TRACKED);
        CreatedApiKey created = f.create();

        f.usage.record(created.key().id());
        f.usage.record(created.key().id());

        assertThat(f.repository.usageWrites()).isEqualTo(ApiKeyUsage.MAX_TRACKED + 2);
        assertThat(f.stored(created.key().id()).useCount()).isEqualTo(2);
        assertThat(f.usage.pendingUses(created.key().id())).isZero();
    }

    @Test
    @DisplayName("uses counted from many threads at once all arrive")
    void recordWhenConcurrentThenNoUseLost() throws InterruptedException {
        CreatedApiKey created = f.create();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    f.usage.record(created.key().id());
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        f.usage.flush();

        assertThat(f.stored(created.key().id()).useCount()).isEqualTo(8000);
    }

    @Test
    @DisplayName("a key that goes quiet after a burst is written by the next verify of another key")
    void recordWhenKeyGoesQuietThenWrittenByAnotherKeysVerify() {
        CreatedApiKey bursty = f.create();
        CreatedApiKey other = f.create();
        for (int i = 0; i < 6; i++) {
            f.verify(bursty.token());
            f.clock.advance(Duration.ofSeconds(1));
        }
        assertThat(f.stored(bursty.key().id()).useCount()).as("first use written, five pending").isEqualTo(1);

        f.clock.advance(Duration.ofSeconds(10));
        f.verify(other.token());

        assertThat(f.stored(bursty.key().id()).useCount()).isEqualTo(6);
        assertThat(f.usage.pendingUses(bursty.key().id())).isZero();
    }
}
