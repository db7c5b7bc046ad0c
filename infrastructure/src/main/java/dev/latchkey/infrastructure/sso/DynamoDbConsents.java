package dev.latchkey.infrastructure.sso;

import dev.latchkey.core.sso.Consents;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Remembered consents, one item per user and client under the user: {@code pk = USER#<userId>},
 * {@code sk = CONSENT#<clientId>}, with {@code scopes} (a string set) and {@code updatedAt}. {@link #granted}: one
 * consistent {@code GetItem}; {@link #grant}: one {@code UpdateItem} adding to the set ({@code ADD}), so two
 * consents at once both count.
 */
public final class DynamoDbConsents implements Consents {

    private final SingleTable table;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbConsents(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    @Override
    public Set<String> granted(String userId, String clientId) {
        return table.get("consent read", Keys.consent(userId, clientId))
                .map(item -> item.get("scopes"))
                .map(scopes -> (Set<String>) new HashSet<>(scopes.ss()))
                .orElse(Set.of());
    }

    @Override
    public void grant(String userId, String clientId, Set<String> scopes, Instant at) {
        if (scopes.isEmpty()) {
            return;
        }
        table.call("consent write", () -> table.client().updateItem(b -> b.tableName(table.name())
                .key(Keys.consent(userId, clientId))
                .updateExpression("ADD #scopes :scopes SET #updatedAt = :at")
                .expressionAttributeNames(Map.of("#scopes", "scopes", "#updatedAt", "updatedAt"))
                .expressionAttributeValues(Map.of(":scopes", AttributeValue.fromSs(List.copyOf(scopes)),
                        ":at", AttributeValue.fromS(at.toString())))));
    }
}
