package dev.latchkey.infrastructure.resource;

import static dev.latchkey.infrastructure.resource.ResourceItems.n;
import static dev.latchkey.infrastructure.resource.ResourceItems.s;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.resource.Grant;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.ResourceException;
import dev.latchkey.core.resource.ResourceRepository;
import dev.latchkey.core.resource.StoredResource;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.OrganizationItem;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Resources, their audience claims and their grants in the single table (docs/data-model.md).
 *
 * <p><b>Items.</b> Resource {@code ORG#<orgId>}/{@code RESOURCE#<resourceId>}: {@code resourceId, orgId,
 * audience, name, scopes} (L), {@code createdAt, createdBy, version} (N, bumped by every change of the resource
 * or of its grants). Audience claim {@code AUDIENCE#<audience>}/{@code AUDIENCE}: a full copy of the resource
 * (so a token request resolves it with one read); written with {@code attribute_not_exists(pk)} (or over the
 * organization's own tombstone), it keeps audiences unique across the deployment. Deleting the resource replaces the
 * claim with a tombstone {@code type = AUDIENCE_TOMBSTONE, orgId, audience, deletedAt}: the audience stays the
 * organization's for good (docs/resources.md), and {@link #findByAudience} answers empty for it. Grant
 * {@code ORG#<orgId>}/{@code GRANT#<resourceId>#<granteeId>}:
 * {@code granteeId, granteeType} ({@code user}/{@code team}/{@code client}), {@code scopes} (L),
 * {@code grantedAt, grantedBy}.
 *
 * <p><b>Requests.</b> {@link #findByAudience}, {@link #find}: one consistent {@code GetItem}. {@link #grants},
 * {@link #list}: one consistent {@code Query} per 1 MB page. Every change: one {@code TransactWriteItems} with the
 * audit event's put, conditioned on the resource's {@code version}; a grant's put also checks its grantee — a
 * membership item {@code ORG#<orgId>}/{@code MEMBER#<userId>}, a team item (whose {@code version} it bumps, so a
 * team delete in flight conflicts) or a client item {@code CLIENT#<clientId>}/{@code CLIENT} with that
 * {@code organizationId} (whose {@code version} it bumps too, for the client delete) — and adds (resource, grant)
 * bump the organization item's {@code version}.
 */
public final class DynamoDbResourceRepository implements ResourceRepository {

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbResourceRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this.table = new SingleTable(client, tableName);
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    @Override
    public Optional<Resource> findByAudience(String audience) {
        return get(ResourceItems.audienceKey(audience), "audience read")
                .filter(item -> !ResourceItems.isTombstone(item)).map(ResourceItems::toResource);
    }

    @Override
    public List<Grant> grants(String organizationId, String resourceId) {
        return query(organizationId, Keys.grantsOf(resourceId), "grant list").stream()
                .map(ResourceItems::toGrant).toList();
    }

    @Override
    public void create(Resource resource, AuditEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(ResourceItems.resourceAttributes(resource));
        item.putAll(ResourceItems.resourceKey(resource.organizationId(), resource.resourceId()));
        item.put("type", s("RESOURCE"));
        item.put(ResourceItems.VERSION, n(1));
        Map<String, AttributeValue> claim = new HashMap<>(ResourceItems.resourceAttributes(resource));
        claim.putAll(ResourceItems.audienceKey(resource.audience()));
        claim.put("type", s("AUDIENCE"));
        // The claim is new, or the tombstone this organization left when it deleted a resource with the audience.
        TransactWriteItem claimPut = TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(claim)
                .conditionExpression("attribute_not_exists(#pk) OR (#type = :tombstone AND #org = :org)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#type", "type", "#org",
                        ResourceItems.ORG_ID))
                .expressionAttributeValues(Map.of(":tombstone", s(ResourceItems.AUDIENCE_TOMBSTONE_TYPE), ":org",
                        s(resource.organizationId())))).build();
        List<String> reasons = table.transactWrite("resource create", List.of(table.putNew(item),
                claimPut, OrganizationItem.bumpVersion(table.name(), resource.organizationId()),
                auditLog.transactWriteItem(event)));
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 1)) {
            throw ResourceException.conflict("AUDIENCE_TAKEN", "A resource with this audience exists.");
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 2)) {
            throw concurrent();
        }
        throw Transactions.cancelled("resource create", reasons, 3);
    }

    @Override
    public Optional<StoredResource> find(String organizationId, String resourceId) {
        return get(ResourceItems.resourceKey(organizationId, resourceId), "resource read")
                .map(item -> new StoredResource(ResourceItems.toResource(item),
                        Long.parseLong(item.get(ResourceItems.VERSION).n())));
    }

    @Override
    public List<Resource> list(String organizationId) {
        return query(organizationId, Keys.RESOURCE, "resource list").stream()
                .map(ResourceItems::toResource).toList();
    }

    @Override
    public void update(StoredResource before, Resource after, List<Grant> rewritten, List<Grant> removed,
            AuditEvent event) {
        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, String> names = Map.of("#name", ResourceItems.NAME, "#scopes", ResourceItems.SCOPES,
                "#version", ResourceItems.VERSION);
        writes.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(ResourceItems.resourceKey(after.organizationId(), after.resourceId()))
                .updateExpression("SET #name = :name, #scopes = :scopes, #version = #version + :one")
                .conditionExpression("#version = :seen")
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":name", s(after.name()), ":scopes",
                        ResourceItems.list(after.scopes()), ":one", n(1), ":seen", n(before.version())))).build());
        writes.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(ResourceItems.audienceKey(after.audience()))
                .updateExpression("SET #name = :name, #scopes = :scopes")
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#name", ResourceItems.NAME, "#scopes", ResourceItems.SCOPES,
                        "#pk", LatchkeyTable.PK))
                .expressionAttributeValues(Map.of(":name", s(after.name()), ":scopes",
                        ResourceItems.list(after.scopes())))).build());
        for (Grant grant : rewritten) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(table.name())
                    .item(ResourceItems.grantItem(grant))
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build());
        }
        for (Grant grant : removed) {
            writes.add(deleteGrantItem(grant));
        }
        writes.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("resource update", writes);
        if (reasons.isEmpty()) {
            return;
        }
        for (int i = 0; i < writes.size() - 1; i++) {
            if (Transactions.failedCondition(reasons, i)) {
                throw concurrent();
            }
        }
        throw Transactions.cancelled("resource update", reasons, writes.size() - 1);
    }

    @Override
    public void delete(StoredResource stored, List<Grant> grants, AuditEvent event) {
        Resource resource = stored.resource();
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                .key(ResourceItems.resourceKey(resource.organizationId(), resource.resourceId()))
                .conditionExpression("#version = :seen")
                .expressionAttributeNames(Map.of("#version", ResourceItems.VERSION))
                .expressionAttributeValues(Map.of(":seen", n(stored.version())))).build());
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table.name())
                .item(ResourceItems.tombstone(resource, event.occurredAt()))).build());
        grants.forEach(grant -> writes.add(deleteGrantItem(grant)));
        writes.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("resource delete", writes);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw concurrent();
        }
        throw Transactions.cancelled("resource delete", reasons, writes.size() - 1);
    }

    @Override
    public void putGrant(StoredResource resource, Grant grant, AuditEvent event) {
        List<TransactWriteItem> writes = List.of(bumpResource(resource), granteeCheck(grant),
                TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(ResourceItems.grantItem(grant)))
                        .build(),
                OrganizationItem.bumpVersion(table.name(), grant.organizationId()),
                auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("grant put", writes);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 1)) {
            throw ResourceException.granteeNotFound();
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 3)) {
            throw concurrent();
        }
        throw Transactions.cancelled("grant put", reasons, 4);
    }

    @Override
    public void deleteGrant(StoredResource resource, Grant grant, AuditEvent event) {
        List<TransactWriteItem> writes = List.of(bumpResource(resource),
                TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                        .key(ResourceItems.grantKey(grant.organizationId(), grant.resourceId(), grant.granteeId()))
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build(),
                auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("grant delete", writes);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 1)) {
            throw ResourceException.granteeNotFound();
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw concurrent();
        }
        throw Transactions.cancelled("grant delete", reasons, 2);
    }

    /** The grantee's existence in the grant's organization, checked inside the grant's transaction. */
    private TransactWriteItem granteeCheck(Grant grant) {
        String org = grant.organizationId();
        String granteeId = grant.granteeId();
        Map<String, String> pkName = Map.of("#pk", LatchkeyTable.PK);
        switch (grant.granteeType()) {
            case USER:
                return TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                        .key(Keys.membership(org, granteeId))
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(pkName)).build();
            case TEAM:
                return TransactWriteItem.builder().update(u -> u.tableName(table.name())
                        .key(Keys.team(org, granteeId))
                        .updateExpression("ADD #version :one")
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#version", ResourceItems.VERSION))
                        .expressionAttributeValues(Map.of(":one", n(1)))).build();
            case CLIENT:
                // Bumps the client's version (like a team's), so a client delete that read its grants before this
                // grant landed fails its version condition and reads them again: no grant outlives its client.
                return TransactWriteItem.builder().update(u -> u.tableName(table.name())
                        .key(Keys.client(granteeId))
                        .updateExpression("ADD #version :one")
                        .conditionExpression("#org = :org")
                        .expressionAttributeNames(Map.of("#org", "organizationId", "#version", ResourceItems.VERSION))
                        .expressionAttributeValues(Map.of(":org", s(org), ":one", n(1)))).build();
            default:
                throw new IllegalStateException("unknown grantee type");
        }
    }

    private TransactWriteItem bumpResource(StoredResource resource) {
        return TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(ResourceItems.resourceKey(resource.resource().organizationId(), resource.resource().resourceId()))
                .updateExpression("SET #version = #version + :one")
                .conditionExpression("#version = :seen")
                .expressionAttributeNames(Map.of("#version", ResourceItems.VERSION))
                .expressionAttributeValues(Map.of(":one", n(1), ":seen", n(resource.version())))).build();
    }

    private TransactWriteItem deleteGrantItem(Grant grant) {
        return table.delete(ResourceItems.grantKey(grant.organizationId(), grant.resourceId(), grant.granteeId()));
    }

    private List<Map<String, AttributeValue>> query(String organizationId, String prefix, String what) {
        return table.queryAll(what, q -> q
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":pk", s(Keys.organizationPk(organizationId)),
                        ":prefix", s(prefix)))
                .consistentRead(true));
    }

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key, String what) {
        return table.get(what, key);
    }

    private static ResourceException concurrent() {
        return ResourceException.conflict("CONCURRENT_CHANGE", "The resource changed meanwhile; retry.");
    }
}
