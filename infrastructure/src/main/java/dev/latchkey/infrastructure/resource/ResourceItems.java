package dev.latchkey.infrastructure.resource;

import dev.latchkey.core.resource.Grant;
import dev.latchkey.core.resource.GranteeType;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The keys and attributes of resource, audience-claim and grant items (docs/data-model.md), shared by the
 * adapters that write them: {@link DynamoDbResourceRepository} and the team adapter, which deletes a team's
 * grants.
 */
public final class ResourceItems {

    /** The {@code type} of a deleted resource's audience claim, which keeps the audience its organization's. */
    static final String AUDIENCE_TOMBSTONE_TYPE = "AUDIENCE_TOMBSTONE";
    static final String RESOURCE_ID = "resourceId";
    static final String ORG_ID = "orgId";
    static final String AUDIENCE = "audience";
    static final String NAME = "name";
    static final String SCOPES = "scopes";
    static final String CREATED_AT = "createdAt";
    static final String CREATED_BY = "createdBy";
    static final String VERSION = "version";
    /** A grant's grantee id attribute. */
    static final String GRANTEE_ID = LatchkeyTable.GRANTEE_ID;
    static final String GRANTEE_TYPE = "granteeType";
    static final String GRANTED_AT = "grantedAt";
    static final String GRANTED_BY = "grantedBy";

    private ResourceItems() {
    }

    static Map<String, AttributeValue> resourceKey(String organizationId, String resourceId) {
        return Keys.resource(organizationId, resourceId);
    }

    static Map<String, AttributeValue> audienceKey(String audience) {
        return Keys.audience(audience);
    }

    /** A grant item's table key. */
    public static Map<String, AttributeValue> grantKey(String organizationId, String resourceId, String granteeId) {
        return Keys.grant(organizationId, resourceId, granteeId);
    }

    /** The resource's attributes, as both its item and its audience claim hold them. */
    static Map<String, AttributeValue> resourceAttributes(Resource resource) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(RESOURCE_ID, s(resource.resourceId()));
        item.put(ORG_ID, s(resource.organizationId()));
        item.put(AUDIENCE, s(resource.audience()));
        item.put(NAME, s(resource.name()));
        item.put(SCOPES, list(resource.scopes()));
        item.put(CREATED_AT, s(resource.createdAt().toString()));
        item.put(CREATED_BY, s(resource.createdBy()));
        return item;
    }

    /**
     * The tombstone a deleted resource leaves in place of its audience claim: the audience and the organization
     * that keeps it, nothing else (no name, no scopes).
     */
    static Map<String, AttributeValue> tombstone(Resource resource, Instant deletedAt) {
        Map<String, AttributeValue> item = new HashMap<>(audienceKey(resource.audience()));
        item.put("type", s(AUDIENCE_TOMBSTONE_TYPE));
        item.put(ORG_ID, s(resource.organizationId()));
        item.put(AUDIENCE, s(resource.audience()));
        item.put("deletedAt", s(deletedAt.toString()));
        return item;
    }

    /** Whether an audience-claim item is a deleted resource's tombstone. */
    static boolean isTombstone(Map<String, AttributeValue> item) {
        AttributeValue type = item.get("type");
        return type != null && AUDIENCE_TOMBSTONE_TYPE.equals(type.s());
    }

    static Resource toResource(Map<String, AttributeValue> item) {
        return new Resource(item.get(RESOURCE_ID).s(), item.get(ORG_ID).s(), item.get(AUDIENCE).s(),
                item.get(NAME).s(), strings(item.get(SCOPES)), Instant.parse(item.get(CREATED_AT).s()),
                item.get(CREATED_BY).s());
    }

    static Map<String, AttributeValue> grantItem(Grant grant) {
        Map<String, AttributeValue> item = new HashMap<>(grantKey(grant.organizationId(), grant.resourceId(),
                grant.granteeId()));
        item.put("type", s("GRANT"));
        item.put(RESOURCE_ID, s(grant.resourceId()));
        item.put(ORG_ID, s(grant.organizationId()));
        item.put(GRANTEE_ID, s(grant.granteeId()));
        item.put(GRANTEE_TYPE, s(grant.granteeType().text()));
        item.put(SCOPES, list(grant.scopes()));
        item.put(GRANTED_AT, s(grant.grantedAt().toString()));
        item.put(GRANTED_BY, s(grant.grantedBy()));
        return item;
    }

    static Grant toGrant(Map<String, AttributeValue> item) {
        return new Grant(item.get(ORG_ID).s(), item.get(RESOURCE_ID).s(), item.get(GRANTEE_ID).s(),
                GranteeType.parse(item.get(GRANTEE_TYPE).s()).orElseThrow(() -> new IllegalStateException(
                        "grant item with an unknown grantee type")), strings(item.get(SCOPES)),
                Instant.parse(item.get(GRANTED_AT).s()), item.get(GRANTED_BY).s());
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue list(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    static List<String> strings(AttributeValue list) {
        return list == null ? List.of() : list.l().stream().map(AttributeValue::s).toList();
    }
}
