package dev.latchkey.infrastructure.org;

import static dev.latchkey.infrastructure.org.OrganizationItems.s;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.org.Invitation;
import dev.latchkey.core.org.InvitationState;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.org.MemberOrganization;
import dev.latchkey.core.org.OrgException;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.org.OrganizationContents;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The organization aggregate in the single table: the organization item {@code ORG#<orgId>}/{@code ORG}
 * ({@code orgId, name, personal, createdAt, createdBy, version, requireMfa}; an absent {@code version} is 0, an
 * absent {@code requireMfa} false), its creation with the owner's membership, the organizations of a user, update
 * (name, {@code requireMfa}), contents and delete (docs/data-model.md).
 *
 * <p><b>Requests.</b> Every change is one {@code TransactWriteItems} with the audit event's put
 * ({@link DynamoDbAuditLog#transactWriteItem}); every read a decision depends on is a strongly consistent
 * {@code GetItem} or {@code Query}; only {@link #organizationsOf} reads the (eventually consistent) index. Every
 * addition under an organization bumps its {@code version}; {@link #delete} conditions on it.
 */
final class DynamoDbOrganizations {

    /** Items of one transaction: DynamoDB's limit. */
    static final int MAX_TRANSACTION_ITEMS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbOrganizations.class);

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;

    DynamoDbOrganizations(SingleTable table, DynamoDbAuditLog auditLog) {
        this.table = Objects.requireNonNull(table, "table");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    void create(Organization organization, Member owner, AuditEvent event) {
        List<TransactWriteItem> items = List.of(table.putNew(OrganizationItems.organizationItem(organization)),
                table.putNew(OrganizationItems.memberItem(owner)), auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("organization create", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 1)) {
            throw OrgException.conflict("ALREADY_EXISTS", "An organization with this id exists.");
        }
        throw Transactions.cancelled("organization create", reasons, 2);
    }

    Optional<Organization> find(String organizationId) {
        return table.get("organization read", Keys.organization(organizationId))
                .map(OrganizationItems::toOrganization);
    }

    /**
     * {@code Query} on {@code gsi1} ({@code USER#<id>}, {@code begins_with(gsi1sk, ORG#)}, paginated), then
     * {@code BatchGetItem} (consistent) of the organizations; a membership whose organization is gone is left out.
     */
    List<MemberOrganization> organizationsOf(String userId) {
        Map<String, Role> roles = new TreeMap<>();
        for (Map<String, AttributeValue> item : table.queryAll("organizations read", q -> q
                .indexName(LatchkeyTable.GSI1)
                .keyConditionExpression("#gpk = :user AND begins_with(#gsk, :org)")
                .expressionAttributeNames(Map.of("#gpk", LatchkeyTable.GSI1_PK, "#gsk", LatchkeyTable.GSI1_SK))
                .expressionAttributeValues(Map.of(":user", s(Keys.userPk(userId)), ":org", s(Keys.ORG))))) {
            Optional<Role> role = Optional.ofNullable(item.get("role")).map(AttributeValue::s).flatMap(Role::parse);
            if (item.containsKey("orgId") && role.isPresent()) {
                roles.put(item.get("orgId").s(), role.get());
            }
        }
        Map<String, Organization> organizations = new HashMap<>();
        table.batchGet("organizations read", roles.keySet().stream().map(Keys::organization).toList(), b -> { })
                .forEach(item -> {
                    Organization organization = OrganizationItems.toOrganization(item);
                    organizations.put(organization.id(), organization);
                });
        List<MemberOrganization> result = new ArrayList<>();
        roles.forEach((id, role) -> {
            Organization organization = organizations.get(id);
            if (organization != null) {
                result.add(new MemberOrganization(organization, role));
            }
        });
        return List.copyOf(result);
    }

    /** One transaction: {@code SET name, requireMfa} if the organization exists, and each audit event's put. */
    void update(Organization organization, List<AuditEvent> events) {
        TransactWriteItem update = TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(Keys.organization(organization.id()))
                .updateExpression("SET #name = :name, #mfa = :mfa")
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#name", "name", "#mfa", OrganizationItems.REQUIRE_MFA,
                        "#pk", LatchkeyTable.PK))
                .expressionAttributeValues(Map.of(":name", s(organization.name()),
                        ":mfa", AttributeValue.fromBool(organization.requireMfa())))).build();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(update);
        events.forEach(event -> items.add(auditLog.transactWriteItem(event)));
        List<String> reasons = table.transactWrite("organization update", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw OrgException.notFound();
        }
        throw Transactions.cancelled("organization update", reasons, 1);
    }

    /**
     * {@code GetItem} of the organization (consistent); one consistent {@code Query} of its partition (paginated),
     * classified by sort key. Clients, API keys and applications are counted by their markers there
     * ({@code CLIENT#<clientId>}, {@code APIKEY#<keyId>}, {@code APP#<clientId>}, written in the same transactions as
     * the client, key or application), not through the eventually consistent index, so one committed before this
     * read is always seen.
     */
    OrganizationContents contents(String organizationId) {
        Organization organization = find(organizationId).orElseThrow(OrgException::notFound);
        List<String> members = new ArrayList<>();
        List<Invitation> invitations = new ArrayList<>();
        int teams = 0;
        int resources = 0;
        int grants = 0;
        int clients = 0;
        int apiKeys = 0;
        int applications = 0;
        int other = 0;
        for (Map<String, AttributeValue> item : OrganizationItems.queryPartition(table, organizationId, "",
                Optional.empty(), Integer.MAX_VALUE, false)) {
            String sk = item.get(LatchkeyTable.SK).s();
            if (sk.equals(Keys.ORG_SK) || sk.startsWith(Keys.INVITEE)) {
                continue;
            } else if (sk.startsWith(Keys.MEMBER)) {
                members.add(sk.substring(Keys.MEMBER.length()));
            } else if (sk.startsWith(Keys.INVITATION)) {
                invitations.add(OrganizationItems.toInvitation(item));
            } else if (sk.startsWith(Keys.TEAM)) {
                teams++;
            } else if (sk.startsWith(Keys.RESOURCE)) {
                resources++;
            } else if (sk.startsWith(Keys.GRANT)) {
                grants++;
            } else if (sk.startsWith(Keys.CLIENT)) {
                clients++;
            } else if (sk.startsWith(Keys.API_KEY)) {
                apiKeys++;
            } else if (sk.startsWith(Keys.APPLICATION)) {
                applications++;
            } else {
                other++;
            }
        }
        return new OrganizationContents(organization, members, teams, resources, grants, clients, apiKeys,
                applications, other, invitations);
    }

    /**
     * One {@code TransactWriteItems}: {@code Delete} of the organization conditioned on its version (so an addition
     * since {@link #contents} cancels it), of the deleter's membership, of every invitation that could still be
     * accepted with its token lookup and invitee claim, and the audit event. Invitations that can no longer be
     * accepted (and anything beyond the transaction's item limit) are deleted after the commit, one
     * {@code DeleteItem} each; they also expire by TTL within {@link dev.latchkey.core.org.Invitations#LIFETIME}.
     */
    void delete(OrganizationContents contents, Optional<String> deleterUserId, AuditEvent event) {
        Organization organization = contents.organization();
        String id = organization.id();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name()).key(Keys.organization(id))
                .conditionExpression(OrganizationItems.versionCondition(organization.version()))
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#version", OrganizationItems.VERSION))
                .expressionAttributeValues(OrganizationItems.versionValues(organization.version()))).build());
        deleterUserId.ifPresent(userId -> items.add(table.delete(Keys.membership(id, userId))));
        Map<String, Map<String, AttributeValue>> later = new LinkedHashMap<>();
        Map<String, Map<String, AttributeValue>> now = new LinkedHashMap<>();
        Instant at = event.occurredAt();
        for (Invitation invitation : contents.invitations()) {
            Map<String, Map<String, AttributeValue>> target = invitation.openAt(at)
                    && now.size() + items.size() + 4 <= MAX_TRANSACTION_ITEMS ? now : later;
            Map<String, AttributeValue> invitationKey = Keys.invitation(id, invitation.id());
            target.put(invitationKey.toString(), invitationKey);
            if (invitation.state() == InvitationState.PENDING) {
                Map<String, AttributeValue> tokenKey = Keys.invitationToken(invitation.tokenHash());
                Map<String, AttributeValue> inviteeKey = OrganizationItems.inviteeKey(id, invitation.email());
                target.put(tokenKey.toString(), tokenKey);
                target.put(inviteeKey.toString(), inviteeKey);
            }
        }
        now.keySet().forEach(later::remove);
        now.values().forEach(k -> items.add(table.delete(k)));
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("organization delete", items);
        if (!reasons.isEmpty()) {
            if (Transactions.failedCondition(reasons, 0)) {
                throw OrgException.concurrentChange();
            }
            throw Transactions.cancelled("organization delete", reasons, items.size() - 1);
        }
        for (Map<String, AttributeValue> leftover : later.values()) {
            try {
                table.client().deleteItem(d -> d.tableName(table.name()).key(leftover));
            } catch (SdkException e) {
                LOG.warn("leftover invitation item of a deleted organization not deleted (TTL will): {}",
                        e.getClass().getSimpleName());
            }
        }
    }
}
