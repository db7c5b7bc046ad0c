package dev.latchkey.infrastructure.admin;

import dev.latchkey.core.admin.DeploymentInventory;
import dev.latchkey.core.admin.OrganizationSummary;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The deployment-wide reads of the admin CLI, by {@code Scan} (paginated, strongly consistent): never on a request
 * path, which reads only by key. Also the streaming item source of {@link TableExport}.
 */
public final class DynamoDbDeploymentInventory implements DeploymentInventory {

    private final SingleTable table;

    /**
     * @param client the DynamoDB client
     * @param tableName the table
     */
    public DynamoDbDeploymentInventory(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(Objects.requireNonNull(client, "client"), tableName);
    }

    @Override
    public boolean hasAccounts() {
        boolean[] found = {false};
        scan(b -> b.filterExpression("begins_with(#pk, :user) AND #sk = :profile")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":user", AttributeValue.fromS(Keys.USER),
                        ":profile", AttributeValue.fromS(Keys.PROFILE_SK))), item -> found[0] = true, true);
        return found[0];
    }

    @Override
    public List<OrganizationSummary> organizations() {
        List<OrganizationSummary> result = new ArrayList<>();
        scan(b -> b.filterExpression("begins_with(#pk, :org) AND #sk = :orgSk")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":org", AttributeValue.fromS(Keys.ORG),
                        ":orgSk", AttributeValue.fromS(Keys.ORG_SK))), item -> result.add(new OrganizationSummary(
                                item.get("orgId").s(), item.get("name").s(),
                                item.containsKey("personal") && Boolean.TRUE.equals(item.get("personal").bool()),
                                Instant.parse(item.get("createdAt").s()))), false);
        result.sort(Comparator.comparing(OrganizationSummary::id));
        return result;
    }

    /**
     * Every item of the table, page by page, to {@code sink}.
     *
     * @param request filters and projections added to the scan
     * @param sink receives each item
     * @param firstOnly stop after the first page that holds an item
     */
    void scan(Consumer<ScanRequest.Builder> request, Consumer<Map<String, AttributeValue>> sink, boolean firstOnly) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = table.call("admin scan", () -> table.client().scan(b -> {
                b.tableName(table.name()).consistentRead(true);
                request.accept(b);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            }));
            page.items().forEach(sink);
            if (firstOnly && !page.items().isEmpty()) {
                return;
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }
}
