package dev.latchkey.infrastructure.session;

import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.session.UserProfiles;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Reads the user item {@code USER#<userId>} / {@code PROFILE} (attributes {@code email}, {@code name})
 * for token responses: one strongly consistent {@code GetItem} with a projection. A missing item (or
 * one without an email) is no user. {@link #findAll} reads up to {@value #BATCH} users per strongly consistent
 * {@code BatchGetItem} (a member list's names), retrying unprocessed keys.
 */
public final class DynamoDbUserProfiles implements UserProfiles {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbUserProfiles.class);

    /** Keys per {@code BatchGetItem}: DynamoDB's limit. */
    static final int BATCH = 100;

    private static final int MAX_ATTEMPTS = 5;

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

    @Override
    public Map<String, UserProfile> findAll(Collection<String> userIds) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(userIds));
        Map<String, UserProfile> found = new LinkedHashMap<>();
        try {
            for (int from = 0; from < distinct.size(); from += BATCH) {
                List<Map<String, AttributeValue>> keys = distinct.subList(from, Math.min(distinct.size(), from + BATCH))
                        .stream().map(DynamoDbUserProfiles::key).toList();
                Map<String, KeysAndAttributes> request = Map.of(tableName, KeysAndAttributes.builder().keys(keys)
                        .consistentRead(true).projectionExpression("#pk, #email, #name")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#email", "email", "#name", "name"))
                        .build());
                for (int attempt = 1; !request.isEmpty(); attempt++) {
                    Map<String, KeysAndAttributes> current = request;
                    BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(current));
                    response.responses().getOrDefault(tableName, List.of()).stream()
                            .filter(item -> item.containsKey("email")).forEach(item -> {
                                String userId = item.get(LatchkeyTable.PK).s().substring("USER#".length());
                                String name = item.containsKey("name") ? item.get("name").s() : "";
                                found.put(userId, new UserProfile(userId, item.get("email").s(), name));
                            });
                    request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                    if (!request.isEmpty() && attempt == MAX_ATTEMPTS) {
                        throw new StoreUnavailableException(new IllegalStateException("unprocessed keys remain"));
                    }
                }
            }
        } catch (SdkException e) {
            LOG.warn("user profiles read failed: {}", e.getClass().getSimpleName());
            throw new StoreUnavailableException(e);
        }
        return found;
    }

    private static Map<String, AttributeValue> key(String userId) {
        return Map.of(LatchkeyTable.PK, AttributeValue.fromS("USER#" + userId),
                LatchkeyTable.SK, AttributeValue.fromS("PROFILE"));
    }
}
