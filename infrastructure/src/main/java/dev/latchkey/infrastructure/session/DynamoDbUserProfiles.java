package dev.latchkey.infrastructure.session;

import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.session.UserProfiles;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the user item {@code USER#<userId>} / {@code PROFILE} (attributes {@code email}, {@code name})
 * for token responses: one strongly consistent {@code GetItem} with a projection. A missing item (or
 * one without an email) is no user.
 */
public final class DynamoDbUserProfiles implements UserProfiles {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbUserProfiles.class);

    private final DynamoDbClient client;
    private final String tableName;

    /**
     * @param client the DynamoDB client
     * @param tableName the single table
     */
    public DynamoDbUserProfiles(DynamoDbClient client, String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    @Override
    public Optional<UserProfile> find(String userId) {
        try {
            var item = client.getItem(g -> g.tableName(tableName).consistentRead(true)
                    .key(Map.of(LatchkeyTable.PK, AttributeValue.fromS("USER#" + userId),
                            LatchkeyTable.SK, AttributeValue.fromS("PROFILE")))
                    .projectionExpression("#email, #name")
                    .expressionAttributeNames(Map.of("#email", "email", "#name", "name"))).item();
            if (item == null || !item.containsKey("email")) {
                return Optional.empty();
            }
            String name = item.containsKey("name") ? item.get("name").s() : "";
            return Optional.of(new UserProfile(userId, item.get("email").s(), name));
        } catch (SdkException e) {
            LOG.warn("user profile read failed: {}", e.getClass().getSimpleName());
            throw new StoreUnavailableException(e);
        }
    }
}
