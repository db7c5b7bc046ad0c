package dev.latchkey.infrastructure.dynamodb;

import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.store.TableStore;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The table's readiness, through the low-level client every repository uses (no enhanced client: it cost 0.8 MB in
 * every Lambda zip and its schema at init, for one key map).
 */
public final class DynamoDbTableStore implements TableStore {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTableStore.class);

    /** The key read by the readiness check; no item lives there: one strongly consistent read unit. */
    static final Map<String, AttributeValue> HEALTH_KEY = Map.of(LatchkeyTable.PK, AttributeValue.fromS(Keys.HEALTH),
            LatchkeyTable.SK, AttributeValue.fromS(Keys.HEALTH));

    private final DynamoDbClient client;
    private final String tableName;
    private final Duration checkTimeout;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the table
     * @param checkTimeout the longest a readiness check waits, retries included
     */
    public DynamoDbTableStore(DynamoDbClient client, String tableName, Duration checkTimeout) {
        this.client = client;
        this.tableName = tableName;
        this.checkTimeout = checkTimeout;
    }

    @Override
    public void check() {
        try {
            client.getItem(GetItemRequest.builder()
                    .tableName(tableName)
                    .key(HEALTH_KEY)
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
        return tableName;
    }
}
