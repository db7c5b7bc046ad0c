package dev.latchkey.infrastructure.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The organization item {@code ORG#<orgId>}/{@code ORG} and its {@code version}: every write that adds something
 * under an organization (member, invitation, team, team member, resource, grant, client, API key) puts
 * {@link #bumpVersion} in its transaction, and the organization delete is conditioned on the version it read — so
 * nothing can be added between the delete's emptiness check and the delete, and nothing is added to an organization
 * that no longer exists. One definition for every adapter, so the guard cannot drift between them.
 */
public final class OrganizationItem {

    /** The attribute bumped by every addition. */
    public static final String VERSION = "version";

    /**
     * The organization's second-factor policy ({@code require_mfa}, issue 14 item 5): a boolean, absent = false.
     * Written by the organization adapter, read with the membership by the membership directory.
     */
    public static final String REQUIRE_MFA = "requireMfa";

    private OrganizationItem() {
    }

    /** The organization item's key. */
    public static Map<String, AttributeValue> key(String organizationId) {
        return Keys.organization(organizationId);
    }

    /** {@code ADD version :1} on the organization item, conditioned on {@code attribute_exists(pk)}. */
    public static TransactWriteItem bumpVersion(String tableName, String organizationId) {
        return TransactWriteItem.builder().update(u -> u.tableName(tableName).key(key(organizationId))
                .updateExpression("ADD #version :one")
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#version", VERSION))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build();
    }
}
