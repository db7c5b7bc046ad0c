package dev.latchkey.infrastructure.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The table helper every adapter shares, on the emulated table with the real key design: each method makes the
 * requests it documents (counted on a real SDK client), a failed condition is a value and not an exception, and
 * every other SDK failure becomes core's {@link StoreUnavailableException}.
 */
class SingleTableTest {

    private static EmulatedTable emulated;
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    private static DynamoDbClient counting;
    private SingleTable table;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        counting = emulated.countingClient(REQUESTS);
    }

    @AfterAll
    static void stop() {
        counting.close();
        emulated.close();
    }

    @BeforeEach
    void reset() {
        table = new SingleTable(counting, EmulatedTable.TABLE);
        REQUESTS.clear();
    }

    @Test
    void getWhenTheItemExistsThenOneConsistentGetItemReturnsIt() {
        put(Keys.user("usr_get"), "name", "Ada");
        REQUESTS.clear();
        assertThat(table.get("test read", Keys.user("usr_get"))).get()
                .satisfies(item -> assertThat(item.get("name").s()).isEqualTo("Ada"));
        assertThat(table.get("test read", Keys.user("usr_none"))).isEmpty();
        assertThat(requests()).containsExactlyEntriesOf(Map.of("GetItem", 2));
    }

    @Test
    void getWhenAProjectionIsGivenThenOnlyThoseAttributesComeBack() {
        put(Keys.user("usr_projected"), "name", "Grace");
        Optional<Map<String, AttributeValue>> item = table.get("test read", Keys.user("usr_projected"),
                g -> g.projectionExpression("#name").expressionAttributeNames(Map.of("#name", "name")));
        assertThat(item).get().satisfies(found -> assertThat(found).containsOnlyKeys("name"));
    }

    @Test
    void conditionalWhenTheConditionFailsThenEmptyAndNothingWritten() {
        Map<String, AttributeValue> item = new HashMap<>(Keys.challenge("chl_cond"));
        item.put("purpose", AttributeValue.fromS("first"));
        Optional<PutItemResponse> first = table.conditional("test put", () -> counting.putItem(p -> p
                .tableName(EmulatedTable.TABLE).item(item).conditionExpression("attribute_not_exists(pk)")));
        item.put("purpose", AttributeValue.fromS("second"));
        Optional<PutItemResponse> second = table.conditional("test put", () -> counting.putItem(p -> p
                .tableName(EmulatedTable.TABLE).item(item).conditionExpression("attribute_not_exists(pk)")));
        assertThat(first).isPresent();
        assertThat(second).isEmpty();
        assertThat(table.get("test read", Keys.challenge("chl_cond"))).get()
                .satisfies(stored -> assertThat(stored.get("purpose").s()).isEqualTo("first"));
    }

    @Test
    void everyMethodWhenTheTableIsMissingThenStoreUnavailable() {
        SingleTable missing = new SingleTable(counting, "no-such-table");
        assertThatThrownBy(() -> missing.get("test read", Keys.user("usr_1")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> missing.queryAll("test query", q -> q.keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.userPk("usr_1"))))))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> missing.batchGet("test batch", List.of(Keys.user("usr_1")), b -> { }))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> missing.conditional("test put", () -> counting.putItem(p -> p
                .tableName("no-such-table").item(Keys.user("usr_1")))))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> missing.transactWriteOnce("test transaction", List.of(missing.putNew(
                Keys.user("usr_1"))))).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void queryAllWhenResultsSpanPagesThenFollowsEveryPage() {
        for (int i = 0; i < 5; i++) {
            put(Keys.passkey("usr_pages", "pk_" + i), "n", Integer.toString(i));
        }
        REQUESTS.clear();
        List<Map<String, AttributeValue>> items = table.queryAll("test query", q -> q.consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.userPk("usr_pages")),
                        ":prefix", AttributeValue.fromS(Keys.PASSKEY)))
                .limit(2));
        assertThat(items).hasSize(5);
        assertThat(requests().get("Query")).isBetween(3, 4);
    }

    @Test
    void batchGetWhenMoreKeysThanOneRequestTakesThenOneRequestPerHundred() {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            keys.add(Keys.organization("org_batch_" + i));
            if (i % 3 == 0) {
                put(Keys.organization("org_batch_" + i), "orgId", "org_batch_" + i);
            }
        }
        REQUESTS.clear();
        List<Map<String, AttributeValue>> found = table.batchGet("test batch", keys, b -> { });
        assertThat(found).hasSize(50);
        assertThat(requests()).containsExactlyEntriesOf(Map.of("BatchGetItem", 2));
        REQUESTS.clear();
        assertThat(table.batchGet("test batch", List.of(), b -> { })).isEmpty();
        assertThat(requests()).isEmpty();
    }

    @Test
    void transactWriteWhenAConditionFailsThenItsReasonAtItsPositionAndNothingWritten() {
        put(Keys.emailClaim("taken@example.com"), "userId", "usr_owner");
        List<TransactWriteItem> writes = List.of(table.putNew(Keys.user("usr_tx")),
                table.putNew(Keys.emailClaim("taken@example.com")));
        List<String> reasons = table.transactWrite("test transaction", writes);
        assertThat(Transactions.failedCondition(reasons, 1)).isTrue();
        assertThat(Transactions.failedCondition(reasons, 0)).isFalse();
        assertThat(table.get("test read", Keys.user("usr_tx"))).isEmpty();
        assertThat(table.transactWriteOnce("test transaction", List.of(table.putNew(Keys.user("usr_tx")),
                table.delete(Keys.emailClaim("taken@example.com"))))).isEmpty();
        assertThat(table.get("test read", Keys.emailClaim("taken@example.com"))).isEmpty();
    }

    private void put(Map<String, AttributeValue> key, String name, String value) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(name, AttributeValue.fromS(value));
        emulated.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(item));
    }

    private static Map<String, Integer> requests() {
        Map<String, Integer> counts = new HashMap<>();
        REQUESTS.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }
}
