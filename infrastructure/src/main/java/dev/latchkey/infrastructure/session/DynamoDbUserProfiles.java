package dev.latchkey.infrastructure.session;

import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.session.UserProfiles;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the user item {@code USER#<userId>} / {@code PROFILE} (attributes {@code email}, {@code name})
 * for token responses: one strongly consistent {@code GetItem} with a projection. A missing item (or
 * one without an email) is no user, and {@link #find} treats a disabled account ({@code disabled} true) as none, so
 * its sessions cannot refresh. {@link #findAll} reads up to {@value #BATCH} users per strongly consistent
 * {@code BatchGetItem} (a member list's names), retrying unprocessed keys.
 */
public final class DynamoDbUserProfiles implements UserProfiles {

    /** Keys per {@code BatchGetItem}: DynamoDB's limit. */
    static final int BATCH = SingleTable.BATCH_GET_LIMIT;

    private final SingleTable table;

    /**
     * @param client the DynamoDB client
     * @param tableName the single table
     */
    public DynamoDbUserProfiles(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    @Override
    public Optional<UserProfile> find(String userId) {
        return table.get("user profile read", Keys.user(userId), g -> g
                .projectionExpression("#email, #name, #disabled")
                .expressionAttributeNames(Map.of("#email", "email", "#name", "name", "#disabled", "disabled")))
                .filter(item -> item.containsKey("email"))
                .filter(item -> !item.containsKey("disabled") || !Boolean.TRUE.equals(item.get("disabled").bool()))
                .map(item -> profile(userId, item));
    }

    @Override
    public Map<String, UserProfile> findAll(Collection<String> userIds) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(userIds));
        Map<String, UserProfile> found = new LinkedHashMap<>();
        table.batchGet("user profiles read", distinct.stream().map(Keys::user).toList(),
                b -> b.projectionExpression("#pk, #email, #name")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#email", "email", "#name", "name")))
                .stream().filter(item -> item.containsKey("email")).forEach(item -> {
                    String userId = Keys.userIdOf(item.get(LatchkeyTable.PK).s());
                    found.put(userId, profile(userId, item));
                });
        return found;
    }

    private static UserProfile profile(String userId, Map<String, AttributeValue> item) {
        String name = item.containsKey("name") ? item.get("name").s() : "";
        return new UserProfile(userId, item.get("email").s(), name);
    }
}
