package dev.latchkey.infrastructure.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbPeppersTest {

    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-12T10:00:00Z"));
    private final LocalKeyVault vault = LocalKeyVault.fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            random);
    private EmulatedTable emulated;

    @BeforeEach
    void start() {
        emulated = EmulatedTable.start();
    }

    @AfterEach
    void stop() {
        emulated.close();
    }

    private DynamoDbPeppers peppers() {
        return new DynamoDbPeppers(emulated.client(), EmulatedTable.TABLE, vault, random, clock);
    }

    @Test
    void concurrentFirstStartsAgreeOnOnePepper() throws Exception {
        int containers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(containers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < containers; i++) {
                DynamoDbPeppers container = peppers();
                results.add(pool.submit(() -> {
                    go.await();
                    return container.pepper("refresh-token");
                }));
            }
            go.countDown();
            byte[] first = results.get(0).get();
            assertThat(first).hasSize(32);
            for (Future<byte[]> result : results) {
                assertThat(result.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pepperIsStoredSealedUnderItsContextAndKeptPerContainer() {
        DynamoDbPeppers peppers = peppers();
        byte[] pepper = peppers.pepper("refresh-token");
        Map<String, AttributeValue> item = emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE)
                .key(Map.of(LatchkeyTable.PK, AttributeValue.fromS("SECRET"),
                        LatchkeyTable.SK, AttributeValue.fromS("PEPPER#refresh-token")))).item();
        SealedSecret sealed = SealedSecret.decode(item.get("sealed").s());
        assertThat(Arrays.equals(sealed.bytes(), pepper)).isFalse();
        assertThat(vault.open(sealed, new EncryptionContext("pepper", "refresh-token"))).isEqualTo(pepper);
        assertThatThrownBy(() -> vault.open(sealed, new EncryptionContext("pepper", "api-key")))
                .as("bound to its context").isInstanceOf(RuntimeException.class);

        emulated.client().deleteItem(d -> d.tableName(EmulatedTable.TABLE).key(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("SECRET"),
                LatchkeyTable.SK, AttributeValue.fromS("PEPPER#refresh-token"))));
        assertThat(peppers.pepper("refresh-token")).as("opened once per container").isEqualTo(pepper);
        assertThat(peppers().pepper("api-key")).isNotEqualTo(pepper);
        assertThatThrownBy(() -> peppers.pepper("Bad Name")).isInstanceOf(IllegalArgumentException.class);
    }
}
