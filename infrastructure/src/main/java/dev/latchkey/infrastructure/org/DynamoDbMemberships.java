package dev.latchkey.infrastructure.org;

import static dev.latchkey.infrastructure.org.OrganizationItems.s;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.org.MemberPage;
import dev.latchkey.core.org.OrgException;
import dev.latchkey.core.org.Organization;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The membership aggregate in the single table: {@code ORG#<orgId>}/{@code MEMBER#<userId>}, gsi1
 * {@code USER#<userId>}/{@code ORG#<orgId>} ({@code orgId, userId, role, createdAt}), exactly as registration writes
 * it. Reads are strongly consistent; role changes and removals are one {@code TransactWriteItems} with the audit
 * event, guarded so the last owner stays. A removal also deletes the user's team memberships and grants in the
 * organization (their key formats from {@link Keys}).
 */
final class DynamoDbMemberships {

    /** Attempts of a member removal while additions under the organization keep moving its version. */
    static final int REMOVE_ATTEMPTS = 3;

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;
    private final DynamoDbOrganizations organizations;

    DynamoDbMemberships(SingleTable table, DynamoDbAuditLog auditLog, DynamoDbOrganizations organizations) {
        this.table = Objects.requireNonNull(table, "table");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.organizations = Objects.requireNonNull(organizations, "organizations");
    }

    Optional<Member> member(String organizationId, String userId) {
        return table.get("organization read", Keys.membership(organizationId, userId))
                .flatMap(OrganizationItems::toMember);
    }

    MemberPage members(String organizationId, int limit, Optional<String> after) {
        List<Map<String, AttributeValue>> items = OrganizationItems.queryPartition(table, organizationId, Keys.MEMBER,
                after.map(Keys::memberSk), limit + 1, false);
        List<Member> members = new ArrayList<>();
        for (Map<String, AttributeValue> item : items.subList(0, Math.min(limit, items.size()))) {
            OrganizationItems.toMember(item).ifPresent(members::add);
        }
        Optional<String> next = items.size() > limit
                ? Optional.of(items.get(limit - 1).get(LatchkeyTable.SK).s().substring(Keys.MEMBER.length()))
                : Optional.empty();
        return new MemberPage(members, next);
    }

    List<Member> owners(String organizationId) {
        return OrganizationItems.queryPartition(table, organizationId, Keys.MEMBER, Optional.empty(),
                Integer.MAX_VALUE, true).stream().map(OrganizationItems::toMember).flatMap(Optional::stream).toList();
    }

    /**
     * One {@code TransactWriteItems}: {@code Update} of the role conditioned on the role read, a
     * {@code ConditionCheck} that {@code ownerMustRemain} still has role {@code owner}, and the audit event.
     */
    void changeRole(Member member, Role newRole, Optional<String> ownerMustRemain, AuditEvent event) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(Keys.membership(member.organizationId(), member.userId()))
                .updateExpression("SET #role = :new")
                .conditionExpression("attribute_exists(#pk) AND #role = :old")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#role", "role"))
                .expressionAttributeValues(Map.of(":new", s(newRole.text()), ":old", s(member.role().text()))))
                .build());
        ownerMustRemain.ifPresent(other -> items.add(ownerCheck(member.organizationId(), other)));
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("member role change", items);
        if (!reasons.isEmpty()) {
            throw memberChangeFailed(member, ownerMustRemain, reasons, items.size() - 1, "member role change");
        }
    }

    /**
     * Reads the organization's version (consistent {@code GetItem}), the user's team memberships
     * ({@code begins_with TEAMMEMBER#<userId>#}) and grants ({@code GRANT#…#<userId>}) with consistent
     * {@code Query}s, then one {@code TransactWriteItems}: {@code Delete} of the membership conditioned on its role,
     * the owner {@code ConditionCheck}, a {@code ConditionCheck} of the organization's version (so a team membership
     * or grant added meanwhile is not left behind: the whole removal starts again, at most
     * {@value #REMOVE_ATTEMPTS} times), a {@code Delete} of each of those items, and the audit event.
     */
    void removeMember(Member member, Optional<String> ownerMustRemain, AuditEvent event) {
        String id = member.organizationId();
        for (int attempt = 1; ; attempt++) {
            Organization organization = organizations.find(id).orElseThrow(OrgException::notFound);
            List<Map<String, AttributeValue>> dependents = new ArrayList<>(OrganizationItems.queryPartition(table, id,
                    Keys.teamMembersOf(member.userId()), Optional.empty(), Integer.MAX_VALUE, false));
            OrganizationItems.queryPartition(table, id, Keys.GRANT, Optional.empty(), Integer.MAX_VALUE, false)
                    .stream()
                    .filter(item -> Keys.isGrantTo(item.get(LatchkeyTable.SK).s(), member.userId()))
                    .forEach(dependents::add);
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                    .key(Keys.membership(id, member.userId()))
                    .conditionExpression("attribute_exists(#pk) AND #role = :old")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#role", "role"))
                    .expressionAttributeValues(Map.of(":old", s(member.role().text())))).build());
            ownerMustRemain.ifPresent(other -> items.add(ownerCheck(id, other)));
            int versionIndex = items.size();
            items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                    .key(Keys.organization(id))
                    .conditionExpression(OrganizationItems.versionCondition(organization.version()))
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#version", OrganizationItems.VERSION))
                    .expressionAttributeValues(OrganizationItems.versionValues(organization.version()))).build());
            if (items.size() + dependents.size() + 1 > DynamoDbOrganizations.MAX_TRANSACTION_ITEMS) {
                throw OrgException.conflict("TOO_MANY_DEPENDENTS", "The member has too many team memberships and "
                        + "grants to remove at once; remove some first.");
            }
            for (Map<String, AttributeValue> dependent : dependents) {
                items.add(table.delete(Keys.keyOf(dependent)));
            }
            items.add(auditLog.transactWriteItem(event));
            List<String> reasons = table.transactWrite("member removal", items);
            if (reasons.isEmpty()) {
                return;
            }
            boolean versionMoved = Transactions.failedCondition(reasons, versionIndex)
                    && !Transactions.failedCondition(reasons, 0)
                    && (ownerMustRemain.isEmpty() || !Transactions.failedCondition(reasons, 1));
            if (versionMoved && attempt < REMOVE_ATTEMPTS) {
                continue;
            }
            if (versionMoved) {
                throw organizations.find(id).isPresent() ? OrgException.concurrentChange() : OrgException.notFound();
            }
            throw memberChangeFailed(member, ownerMustRemain, reasons, items.size() - 1, "member removal");
        }
    }

    private RuntimeException memberChangeFailed(Member member, Optional<String> ownerMustRemain, List<String> reasons,
            int auditIndex, String what) {
        if (Transactions.failedCondition(reasons, 0)) {
            return member(member.organizationId(), member.userId()).isPresent() ? OrgException.concurrentChange()
                    : OrgException.notFound();
        }
        if (ownerMustRemain.isPresent() && Transactions.failedCondition(reasons, 1)) {
            return OrgException.lastOwner();
        }
        return Transactions.cancelled(what, reasons, auditIndex);
    }

    private TransactWriteItem ownerCheck(String organizationId, String userId) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                .key(Keys.membership(organizationId, userId))
                .conditionExpression("#role = :owner")
                .expressionAttributeNames(Map.of("#role", "role"))
                .expressionAttributeValues(Map.of(":owner", s(Role.OWNER.text())))).build();
    }
}
