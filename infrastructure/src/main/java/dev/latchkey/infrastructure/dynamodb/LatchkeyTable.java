package dev.latchkey.infrastructure.dynamodb;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/**
 * The single table's definition, in one place: key attributes, the {@code gsi1} index and the TTL
 * attribute. Tests and the local server create the table from here; tests check that
 * {@code template.yaml} and {@code terraform/} declare exactly the same.
 */
public final class LatchkeyTable {

    /** Partition key attribute. */
    public static final String PK = "pk";
    /** Sort key attribute. */
    public static final String SK = "sk";
    /** The one global secondary index. */
    public static final String GSI1 = "gsi1";
    /** Its partition key attribute. */
    public static final String GSI1_PK = "gsi1pk";
    /** Its sort key attribute. */
    public static final String GSI1_SK = "gsi1sk";
    /** Expiry in epoch seconds; DynamoDB's TTL deletes expired items (lazily: code still checks it). */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /**
     * A grant item's grantee id attribute ({@link Keys#GRANT} items): written by the resource adapter, and read by
     * the team adapter, which deletes a team's grants with the team.
     */
    public static final String GRANTEE_ID = "granteeId";

    private LatchkeyTable() {
    }

    /** Every key attribute of the table and its index, all strings. */
    public static List<String> keyAttributes() {
        return List.of(PK, SK, GSI1_PK, GSI1_SK);
    }

    /** The request that creates the table (on-demand billing). */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(keyAttributes().stream()
                        .map(name -> AttributeDefinition.builder().attributeName(name)
                                .attributeType(ScalarAttributeType.S).build())
                        .toList())
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(GSI1)
                        .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .build();
    }

    /**
     * Creates the table with its TTL setting unless it exists, and waits until it is active. Safe
     * to call from several processes at once.
     *
     * @return whether this call created it
     */
    public static boolean ensureExists(DynamoDbClient dynamoDb, String tableName) {
        try {
            dynamoDb.describeTable(b -> b.tableName(tableName));
            return false;
        } catch (ResourceNotFoundException absent) {
            try {
                dynamoDb.createTable(createTableRequest(tableName));
            } catch (ResourceInUseException raced) {
                return false;
            }
            dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(tableName),
                    w -> w.waitTimeout(Duration.ofSeconds(60)));
            dynamoDb.updateTimeToLive(b -> b.tableName(tableName).timeToLiveSpecification(
                    TimeToLiveSpecification.builder().attributeName(TTL_ATTRIBUTE).enabled(true).build()));
            return true;
        }
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
