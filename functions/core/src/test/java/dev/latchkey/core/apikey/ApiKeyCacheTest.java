package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ApiKeyCache}: off by default, bounded TTL and size. */
class ApiKeyCacheTest {

    private final ApiKeyFixture f = new ApiKeyFixture();

    @Test
    @DisplayName("a disabled cache keeps nothing")
    void putWhenDisabledThenNothingKept() {
        ApiKeyCache cache = ApiKeyCache.disabled(f.clock);
        ApiKey key = f.create().key();

        cache.put(key, cache.stamp());

        assertThat(cache.enabled()).isFalse();
        assertThat(cache.get(key.id())).isEmpty();
    }

    @Test
    @DisplayName("TTL 0 to 60 s; anything else is refused, as is a size below 1")
    void constructorWhenOutOfRangeThenRefused() {
        assertThat(new ApiKeyCache(ApiKeyCache.MAX_TTL, 1, f.clock).enabled()).isTrue();
        assertThat(new ApiKeyCache(Duration.ZERO, 1, f.clock).enabled()).isFalse();
        assertThatThrownBy(() -> new ApiKeyCache(Duration.ofSeconds(61), 10, f.clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKeyCache(ApiKeyCache.MAX_TTL.plusMillis(1), 10, f.clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKeyCache(Duration.ofSeconds(-1), 10, f.clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKeyCache(Duration.ofSeconds(10), 0, f.clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("an entry lives exactly its TTL; invalidate drops it at once")
    void getWhenTtlEndsOrInvalidatedThenEmpty() {
        ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(10), 10, f.clock);
        ApiKey key = f.create().key();
        cache.put(key, cache.stamp());

        f.clock.advance(Duration.ofSeconds(10).minusMillis(1));
        assertThat(cache.get(key.id())).contains(key);
        f.clock.advance(Duration.ofMillis(1));
        assertThat(cache.get(key.id())).isEmpty();

        cache.put(key, cache.stamp());
        cache.invalidate(key.id());
        assertThat(cache.get(key.id())).isEmpty();
    }

    @Test
    @DisplayName("beyond its size the least recently used key goes first")
    void putWhenFullThenLeastRecentlyUsedEvicted() {
        ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(30), 2, f.clock);
        ApiKey a = f.create().key();
        ApiKey b = f.create().key();
        ApiKey c = f.create().key();
        cache.put(a, cache.stamp());
        cache.put(b, cache.stamp());
        cache.get(a.id());

        cache.put(c, cache.stamp());

        assertThat(cache.get(a.id())).contains(a);
        assertThat(cache.get(b.id())).isEmpty();
        assertThat(cache.get(c.id())).contains(c);
    }
}
