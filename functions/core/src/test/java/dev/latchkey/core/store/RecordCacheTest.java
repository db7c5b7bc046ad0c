package dev.latchkey.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The token-path cache's staleness bound (docs/security.md "Token-path cache"). */
class RecordCacheTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T03:00:00Z"));
    private final AtomicInteger reads = new AtomicInteger();

    private Optional<String> read(String value) {
        reads.incrementAndGet();
        return Optional.ofNullable(value);
    }

    @Test
    void getWhenTtlZeroThenEveryCallReads() {
        RecordCache<String, String> cache = new RecordCache<>(Duration.ZERO, 10, clock);
        cache.get("a", () -> read("1"));
        cache.get("a", () -> read("1"));
        assertThat(reads).hasValue(2);
        assertThat(cache.size()).isZero();
        assertThat(cache.enabled()).isFalse();
    }

    @Test
    void getWhenWithinTtlThenServedAndAfterItReadAgain() {
        RecordCache<String, String> cache = new RecordCache<>(Duration.ofSeconds(10), 10, clock);
        assertThat(cache.get("a", () -> read("1"))).contains("1");
        clock.advance(Duration.ofMillis(9_999));
        assertThat(cache.get("a", () -> read("2"))).as("a change elsewhere is not seen yet").contains("1");
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("a", () -> read("2"))).as("within the bound: seen at t").contains("2");
        assertThat(reads).hasValue(2);
    }

    @Test
    void getWhenAbsentThenNeverKept() {
        RecordCache<String, String> cache = new RecordCache<>(Duration.ofSeconds(10), 10, clock);
        assertThat(cache.get("a", () -> read(null))).isEmpty();
        assertThat(cache.get("a", () -> read("new"))).as("created elsewhere: found at once").contains("new");
    }

    @Test
    void clearWhenWrittenThroughThisContainerThenNextCallReads() {
        RecordCache<String, String> cache = new RecordCache<>(Duration.ofSeconds(10), 10, clock);
        cache.get("a", () -> read("1"));
        cache.clear();
        assertThat(cache.get("a", () -> read("deleted-then-recreated"))).contains("deleted-then-recreated");
    }

    @Test
    void getWhenFullThenLeastRecentlyUsedGoesFirst() {
        RecordCache<String, String> cache = new RecordCache<>(Duration.ofSeconds(10), 2, clock);
        cache.get("a", () -> read("a"));
        cache.get("b", () -> read("b"));
        cache.get("a", () -> read("a"));
        cache.get("c", () -> read("c"));
        assertThat(cache.size()).isEqualTo(2);
        reads.set(0);
        cache.get("a", () -> read("a"));
        cache.get("b", () -> read("b"));
        assertThat(reads).as("b was evicted, a was not").hasValue(1);
    }

    @Test
    void constructorWhenTtlOverMaxThenRefused() {
        assertThatThrownBy(() -> new RecordCache<>(Duration.ofSeconds(61), 10, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rereadWhenOnThenFreshValueKeptAndWhenOffThenEmpty() {
        RecordCache<String, String> cache = new RecordCache<>(Duration.ofSeconds(10), 10, clock);
        cache.get("a", () -> read("1"));
        assertThat(cache.reread("a", () -> read("2"))).contains("2");
        assertThat(cache.get("a", () -> read("3"))).as("the fresh value is kept").contains("2");
        assertThat(cache.reread("a", () -> read(null))).isEmpty();
        assertThat(cache.get("a", () -> read("4"))).as("gone: forgotten, read again").contains("4");
        RecordCache<String, String> off = new RecordCache<>(Duration.ZERO, 10, clock);
        reads.set(0);
        assertThat(off.reread("a", () -> read("1"))).as("off: get read already").isEmpty();
        assertThat(reads).hasValue(0);
    }
}
