package dev.latchkey.infrastructure.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

class DynamoDbTableStoreTest {

    private static EmulatedTable emulated;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    @Test
    void ensureExistsCreatesTheDesignedTableOnceAndIsIdempotent() {
        assertThat(LatchkeyTable.ensureExists(emulated.client(), EmulatedTable.TABLE)).isFalse();
        var table = emulated.client().describeTable(b -> b.tableName(EmulatedTable.TABLE)).table();
        assertThat(table.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                .containsExactly("pk:" + KeyType.HASH, "sk:" + KeyType.RANGE);
        assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo("gsi1");
            assertThat(index.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                    .containsExactly("gsi1pk:" + KeyType.HASH, "gsi1sk:" + KeyType.RANGE);
            assertThat(index.indexStatus()).isIn(IndexStatus.ACTIVE, null);
        });
        var ttl = emulated.client().describeTimeToLive(b -> b.tableName(EmulatedTable.TABLE))
                .timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
        assertThat(ttl.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
    }

    @Test
    void checkWhenTableAnswersThenPasses() {
        var store = new DynamoDbTableStore(emulated.client(), EmulatedTable.TABLE, Duration.ofSeconds(2));
        store.check();
        assertThat(store.tableName()).isEqualTo(EmulatedTable.TABLE);
    }

    @Test
    void checkWhenTableMissingThenUnavailable() {
        var store = new DynamoDbTableStore(emulated.client(), "no-such-table", Duration.ofSeconds(2));
        assertThatThrownBy(store::check).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void putWhenItemWithIndexKeysThenReadByKeyAndQueriedThroughTheIndexWithTheRealKeyDesign() {
        var client = emulated.client();
        client.putItem(b -> b.tableName(EmulatedTable.TABLE).item(Map.of(
                "pk", AttributeValue.fromS("ORG#org_1"), "sk", AttributeValue.fromS("MEMBER#usr_1"),
                "gsi1pk", AttributeValue.fromS("USER#usr_1"), "gsi1sk", AttributeValue.fromS("ORG#org_1"),
                "role", AttributeValue.fromS("owner"))));
        var item = client.getItem(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("ORG#org_1"), "sk", AttributeValue.fromS("MEMBER#usr_1"))));
        assertThat(item.item().get("role").s()).isEqualTo("owner");
        var byUser = emulated.client().query(b -> b.tableName(EmulatedTable.TABLE).indexName("gsi1")
                .keyConditionExpression("gsi1pk = :u")
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS("USER#usr_1"))));
        assertThat(byUser.items()).singleElement().satisfies(i -> assertThat(i.get("pk").s()).isEqualTo("ORG#org_1"));
    }

    /** The uniqueness rule of the data model: a conditional transaction, never a GSI read. */
    @Test
    void transactWriteWithAttributeNotExistsThenSecondClaimOfSameKeyIsCancelledAndNothingIsWritten() {
        var client = emulated.client();
        java.util.function.Function<String, software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest>
                claim = user -> software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest.builder()
                .transactItems(
                        put(Map.of("pk", AttributeValue.fromS("EMAIL#a@example.com"),
                                "sk", AttributeValue.fromS("EMAIL"), "userId", AttributeValue.fromS(user))),
                        put(Map.of("pk", AttributeValue.fromS("USER#" + user), "sk", AttributeValue.fromS("PROFILE"))))
                .build();
        client.transactWriteItems(claim.apply("usr_1"));
        assertThatThrownBy(() -> client.transactWriteItems(claim.apply("usr_2")))
                .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class);
        var loser = client.getItem(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("USER#usr_2"), "sk", AttributeValue.fromS("PROFILE"))));
        assertThat(loser.hasItem()).isFalse();
    }

    private static software.amazon.awssdk.services.dynamodb.model.TransactWriteItem put(
            Map<String, AttributeValue> item) {
        return software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
                .put(p -> p.tableName(EmulatedTable.TABLE).item(item).conditionExpression("attribute_not_exists(pk)"))
                .build();
    }
}
