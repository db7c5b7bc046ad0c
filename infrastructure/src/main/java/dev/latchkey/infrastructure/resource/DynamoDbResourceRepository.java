package dev.latchkey.infrastructure.resource;

import static dev.latchkey.infrastructure.resource.ResourceItems.s;

import dev.latchkey.core.resource.Grant;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.ResourceDirectory;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.Queries;
import java.util.List;
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
 * Resources, their audience claims and their grants in the single table (docs/data-model.md).
 *
 * <p><b>Items.</b> Resource {@code ORG#<orgId>}/{@code RESOURCE#<resourceId>}: {@code resourceId, orgId,
 * audience, name, scopes} (L), {@code createdAt, createdBy, version} (N, bumped by every change of the resource
 * or of its grants). Audience claim {@code AUDIENCE#<audience>}/{@code AUDIENCE}: a full copy of the resource
 * (so a token request resolves it with one read), its existence keeps audiences unique across the deployment.
 * Grant {@code ORG#<orgId>}/{@code GRANT#<resourceId>#<granteeId>}: {@code granteeId, granteeType}
 * ({@code user}/{@code team}/{@code client}), {@code scopes} (L), {@code grantedAt, grantedBy}.
 *
 * <p><b>Requests.</b> {@link #findByAudience}: one consistent {@code GetItem}. {@link #grants}: one consistent
 * {@code Query} ({@code begins_with(sk, GRANT#<resourceId>#)}).
 */
public final class DynamoDbResourceRepository implements ResourceDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbResourceRepository.class);

    private final DynamoDbClient client;
    private final String tableName;
    private final DynamoDbAuditLog auditLog;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbResourceRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    @Override
    public Optional<Resource> findByAudience(String audience) {
        return get(ResourceItems.audienceKey(audience), "audience read").map(ResourceItems::toResource);
    }

    @Override
    public List<Grant> grants(String organizationId, String resourceId) {
        return Queries.all(client, "grant list", q -> q.tableName(tableName)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":pk", s(ResourceItems.ORG_PREFIX + organizationId),
                        ":prefix", s(ResourceItems.GRANT_PREFIX + resourceId + "#")))
                .consistentRead(true))
                .stream().map(ResourceItems::toGrant).toList();
    }

    /** One consistent {@code GetItem}. */
    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key, String what) {
        try {
            GetItemResponse response = client.getItem(g -> g.tableName(tableName).key(key).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item())
                    : Optional.empty();
        } catch (SdkException e) {
            LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
            throw new StoreUnavailableException(e);
        }
    }
}
