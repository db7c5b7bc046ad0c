package dev.latchkey.infrastructure.client;

import dev.latchkey.core.client.AllowedResources;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The audience of a client's single allowed resource: one strongly consistent {@code GetItem} of the resource item
 * {@code ORG#<orgId>}/{@code RESOURCE#<resourceId>} (docs/data-model.md), projecting only {@code audience}.
 * {@link dev.latchkey.core.resource.TokenAudiences#forClient} then checks the grant as for any named resource.
 */
public final class DynamoDbAllowedResources implements AllowedResources {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbAllowedResources.class);
    private static final String AUDIENCE = "audience";

    private final DynamoDbClient client;
    private final String tableName;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbAllowedResources(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public Optional<String> audienceOf(String organizationId, String resourceId) {
        try {
            GetItemResponse response = client.getItem(b -> b.tableName(tableName)
                    .key(Map.of(LatchkeyTable.PK, AttributeValue.fromS("ORG#" + organizationId),
                            LatchkeyTable.SK, AttributeValue.fromS("RESOURCE#" + resourceId)))
                    .projectionExpression("#audience")
                    .expressionAttributeNames(Map.of("#audience", AUDIENCE))
                    .consistentRead(true));
            if (!response.hasItem() || response.item().get(AUDIENCE) == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(response.item().get(AUDIENCE).s());
        } catch (SdkException e) {
            LOG.warn("allowed resource read failed: {}", e.getClass().getSimpleName());
            throw new StoreUnavailableException(e);
        }
    }
}
