package dev.latchkey.infrastructure.dynamodb;

import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.store.TableStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;

/**
 * The table through the AWS SDK v2 enhanced client, with a document schema over Latchkey's
 * generic key attributes: concept repositories share this table object.
 */
public final class DynamoDbTableStore implements TableStore {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTableStore.class);

    /** The key read by the readiness check; no item lives there: one strongly consistent read unit. */
    static final Key HEALTH_KEY = Key.builder().partitionValue(Keys.HEALTH).sortValue(Keys.HEALTH)
            .build();

    private final DynamoDbClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final Duration checkTimeout;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the table
     * @param checkTimeout the longest a readiness check waits, retries included
     */
    public DynamoDbTableStore(DynamoDbClient client, String tableName, Duration checkTimeout) {
        this.client = client;
        this.table = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build().table(tableName, schema());
        this.checkTimeout = checkTimeout;
    }

    /** The document schema of the single table: string partition and sort keys. */
    public static TableSchema<EnhancedDocument> schema() {
        return TableSchema.documentSchemaBuilder()
                .addIndexPartitionKey(TableMetadata.primaryIndexName(), LatchkeyTable.PK, AttributeValueType.S)
                .addIndexSortKey(TableMetadata.primaryIndexName(), LatchkeyTable.SK, AttributeValueType.S)
                .addIndexPartitionKey(LatchkeyTable.GSI1, LatchkeyTable.GSI1_PK, AttributeValueType.S)
                .addIndexSortKey(LatchkeyTable.GSI1, LatchkeyTable.GSI1_SK, AttributeValueType.S)
                .attributeConverterProviders(software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider
                        .defaultProvider())
                .build();
    }

    /** The enhanced table, for repositories. */
    public DynamoDbTable<EnhancedDocument> table() {
        return table;
    }

    @Override
    public void check() {
        try {
            // The low-level call: the enhanced request has no per-call timeout.
            client.getItem(GetItemRequest.builder()
                    .tableName(table.tableName())
                    .key(HEALTH_KEY.keyMap(table.tableSchema(), TableMetadata.primaryIndexName()))
                    .consistentRead(true)
                    .overrideConfiguration(o -> o.apiCallTimeout(checkTimeout).apiCallAttemptTimeout(checkTimeout))
                    .build());
        } catch (SdkException e) {
            LOG.warn("table check failed: {}", e.getClass().getSimpleName());
            throw new StoreUnavailableException(e);
        }
    }

    @Override
    public String tableName() {
        return table.tableName();
    }
}
