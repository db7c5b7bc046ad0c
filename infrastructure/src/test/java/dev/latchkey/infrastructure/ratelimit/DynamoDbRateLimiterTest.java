package dev.latchkey.infrastructure.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbRateLimiterTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static EmulatedTable emulated;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private static String bucket() {
        return "test:" + UUID.randomUUID();
    }

    @Test
    void consumeCountsAtomicallyDeniesOverTheLimitAndResetsInTheNextWindow() {
        var clock = new MutableClock(T0.plusSeconds(5));
        var limiter = new DynamoDbRateLimiter(emulated.client(), EmulatedTable.TABLE, clock);
        var limit = RateLimit.perSeconds(3, 60);
        String bucket = bucket();
        assertThat(limiter.consume(bucket, limit).remaining()).isEqualTo(2);
        assertThat(limiter.consume(bucket, limit).remaining()).isEqualTo(1);
        assertThat(limiter.consume(bucket, limit).allowed()).isTrue();
        RateLimitDecision denied = limiter.consume(bucket, limit);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.headers()).containsEntry("retry-after", "55");
        clock.advance(Duration.ofSeconds(55));
        assertThat(limiter.consume(bucket, limit).remaining()).isEqualTo(2);
    }

    @Test
    void counterItemUsesTheKeyDesignAndExpiresAfterItsWindow() {
        var clock = new MutableClock(T0.plusSeconds(5));
        String bucket = bucket();
        new DynamoDbRateLimiter(emulated.client(), EmulatedTable.TABLE, clock)
                .consume(bucket, RateLimit.perSeconds(3, 60));
        var item = emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true).key(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("RATE#" + bucket + "#" + T0.getEpochSecond()),
                LatchkeyTable.SK, AttributeValue.fromS("RATE")))).item();
        assertThat(item.get("count").n()).isEqualTo("1");
        assertThat(Long.parseLong(item.get(LatchkeyTable.TTL_ATTRIBUTE).n())).isEqualTo(T0.getEpochSecond() + 60 + 60);
    }

    /** Parallel requests on one bucket: exactly the limit passes, never more. */
    @Test
    void parallelConsumersNeverExceedTheLimit() throws Exception {
        var limiter = new DynamoDbRateLimiter(emulated.client(), EmulatedTable.TABLE, new MutableClock(T0));
        var limit = RateLimit.perSeconds(10, 3600);
        String bucket = bucket();
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(() -> limiter.consume(bucket, limit).allowed());
            }
            long allowed = 0;
            for (var future : pool.invokeAll(calls)) {
                allowed += future.get() ? 1 : 0;
            }
            assertThat(allowed).isEqualTo(10);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badBucketKeysAreRejectedBeforeAnyRequest() {
        var limiter = new DynamoDbRateLimiter(emulated.client(), EmulatedTable.TABLE, new MutableClock(T0));
        assertThatThrownBy(() -> limiter.consume("has space", RateLimit.perSeconds(1, 60)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** [16.5.3] the counter store down: fail closed with 503, never let the request through. */
    @Test
    void consumeWhenStoreDownThenStoreUnavailable() {
        try (EmulatedTable own = EmulatedTable.start()) {
            var limiter = new DynamoDbRateLimiter(own.client(), EmulatedTable.TABLE, new MutableClock(T0));
            own.dynoxide().stop();
            assertThatThrownBy(() -> limiter.consume(bucket(), RateLimit.perSeconds(1, 60)))
                    .isInstanceOf(StoreUnavailableException.class);
        }
    }
}
