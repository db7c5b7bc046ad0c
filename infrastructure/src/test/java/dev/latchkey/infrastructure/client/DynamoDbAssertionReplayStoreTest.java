package dev.latchkey.infrastructure.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DynamoDbAssertionReplayStore} on the emulated table with the real key design. */
class DynamoDbAssertionReplayStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String CLIENT = "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P1";

    private static EmulatedTable emulated;
    private final MutableClock clock = new MutableClock(T0);
    private final DynamoDbAssertionReplayStore store = new DynamoDbAssertionReplayStore(emulated.client(),
            EmulatedTable.TABLE, clock);

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    @Test
    @DisplayName("RFC 7523 §3 item 7: a jti is spent once; the item is JTI#<client>#<sha256 hex>/JTI with TTL = exp")
    void firstUseThenReplayRefusedAndItemShaped() {
        String jti = UUID.randomUUID().toString();

        assertThat(store.firstUse(CLIENT, jti, T0.plusSeconds(60))).isTrue();
        assertThat(store.firstUse(CLIENT, jti, T0.plusSeconds(60))).isFalse();
        assertThat(store.firstUse("cli_01JD3ZK8W6Q4V8S2M9N7T5R3P2", jti, T0.plusSeconds(60)))
                .as("another client's jti space").isTrue();

        Map<String, AttributeValue> item = emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE)
                .key(Map.of("pk", AttributeValue.fromS(DynamoDbAssertionReplayStore.partitionKey(CLIENT, jti)),
                        "sk", AttributeValue.fromS("JTI"))).consistentRead(true)).item();
        assertThat(item.get("pk").s()).matches("JTI#" + CLIENT + "#[0-9a-f]{64}").doesNotContain(jti);
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(T0.plusSeconds(60).getEpochSecond()));
        assertThat(item.keySet()).containsExactlyInAnyOrder("pk", "sk", "expiresAt");
    }

    @Test
    @DisplayName("an entry past its exp (not yet deleted by TTL) does not block a new assertion")
    void firstUseWhenStoredEntryExpiredThenAccepted() {
        String jti = UUID.randomUUID().toString();
        assertThat(store.firstUse(CLIENT, jti, T0.plusSeconds(60))).isTrue();
        clock.advance(Duration.ofSeconds(61));

        assertThat(store.firstUse(CLIENT, jti, T0.plusSeconds(120))).isTrue();
        assertThat(store.firstUse(CLIENT, jti, T0.plusSeconds(120))).isFalse();
    }

    @Test
    @DisplayName("eight parallel uses of one jti: exactly one wins")
    void firstUseWhenParallelThenExactlyOneWins() throws Exception {
        String jti = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> store.firstUse(CLIENT, jti, T0.plusSeconds(60)));
            }
            long wins = 0;
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                wins += result.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
