package dev.latchkey.infrastructure.org;

import static dev.latchkey.infrastructure.org.OrganizationItems.n;
import static dev.latchkey.infrastructure.org.OrganizationItems.s;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.org.Invitation;
import dev.latchkey.core.org.InvitationPage;
import dev.latchkey.core.org.InvitationState;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.org.OrgException;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.OrganizationItem;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The invitation aggregate in the single table: invitation {@code ORG#<orgId>}/{@code INVITATION#<invitationId>}
 * ({@code invitationId, orgId, email} canonical, {@code role, state, invitedBy, createdAt, validUntil, tokenHash},
 * TTL {@code expiresAt}); token lookup {@code INVITATION#<sha256 hex>}/{@code INVITATION} ({@code orgId,
 * invitationId}, TTL); invitee claim {@code ORG#<orgId>}/{@code INVITEE#<sha256 hex of the canonical email>}
 * ({@code invitationId, validUntilMs}, TTL) — one open invitation per address and organization, taken with
 * {@code attribute_not_exists(pk) OR validUntilMs <= :now}. Never the token.
 */
final class DynamoDbInvitations {

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;

    DynamoDbInvitations(SingleTable table, DynamoDbAuditLog auditLog) {
        this.table = Objects.requireNonNull(table, "table");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /**
     * One {@code TransactWriteItems}: {@code Update} of the organization ({@code ADD version :1},
     * {@code attribute_exists}), {@code Put} of the invitation and its token lookup ({@code attribute_not_exists}),
     * {@code Put} of the invitee claim ({@code attribute_not_exists(pk) OR validUntilMs <= :now}), audit event.
     */
    void createInvitation(Invitation invitation, Instant now, AuditEvent event) {
        String id = invitation.organizationId();
        Map<String, AttributeValue> claim = new HashMap<>(OrganizationItems.inviteeKey(id, invitation.email()));
        claim.put("type", s("INVITEE"));
        claim.put("invitationId", s(invitation.id()));
        claim.put("validUntilMs", n(invitation.expiresAt().toEpochMilli()));
        claim.put(LatchkeyTable.TTL_ATTRIBUTE, n(OrganizationItems.ttl(invitation.expiresAt())));
        Map<String, AttributeValue> lookup = new HashMap<>(Keys.invitationToken(invitation.tokenHash()));
        lookup.put("type", s("INVITATION_TOKEN"));
        lookup.put("orgId", s(id));
        lookup.put("invitationId", s(invitation.id()));
        lookup.put(LatchkeyTable.TTL_ATTRIBUTE, n(OrganizationItems.ttl(invitation.expiresAt())));
        List<TransactWriteItem> items = List.of(OrganizationItem.bumpVersion(table.name(), id),
                table.putNew(OrganizationItems.invitationItem(invitation)), table.putNew(lookup),
                TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(claim)
                        .conditionExpression("attribute_not_exists(#pk) OR #until <= :now")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#until", "validUntilMs"))
                        .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli())))).build(),
                auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("invitation create", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw OrgException.notFound();
        }
        if (Transactions.failedCondition(reasons, 3)) {
            throw OrgException.conflict(OrgException.ALREADY_INVITED,
                    "An open invitation for this address exists; revoke it first.");
        }
        if (Transactions.failedCondition(reasons, 1) || Transactions.failedCondition(reasons, 2)) {
            throw OrgException.conflict("ALREADY_EXISTS", "An invitation with this id exists.");
        }
        throw Transactions.cancelled("invitation create", reasons, 4);
    }

    Optional<Invitation> invitation(String organizationId, String invitationId) {
        return table.get("organization read", Keys.invitation(organizationId, invitationId))
                .map(OrganizationItems::toInvitation);
    }

    Optional<Invitation> invitationByToken(String tokenHash) {
        return table.get("organization read", Keys.invitationToken(tokenHash))
                .flatMap(lookup -> invitation(lookup.get("orgId").s(), lookup.get("invitationId").s()));
    }

    InvitationPage invitations(String organizationId, int limit, Optional<String> after) {
        List<Map<String, AttributeValue>> items = OrganizationItems.queryPartition(table, organizationId,
                Keys.INVITATION, after.map(Keys::invitationSk), limit + 1, false);
        List<Invitation> invitations = items.subList(0, Math.min(limit, items.size())).stream()
                .map(OrganizationItems::toInvitation).toList();
        Optional<String> next = items.size() > limit ? Optional.of(invitations.get(limit - 1).id()) : Optional.empty();
        return new InvitationPage(invitations, next);
    }

    int openInvitations(String organizationId, Instant now) {
        return (int) OrganizationItems.queryPartition(table, organizationId, Keys.INVITATION, Optional.empty(),
                Integer.MAX_VALUE, false).stream().map(OrganizationItems::toInvitation).filter(i -> i.openAt(now))
                .count();
    }

    /**
     * A consistent {@code GetItem} of the invitee claim, then one {@code TransactWriteItems}: {@code Update} of the
     * invitation to {@code REVOKED} ({@code state = PENDING}), {@code Delete} of the token lookup, {@code Delete} of
     * the claim when it is this invitation's ({@code invitationId = :id}), audit event.
     */
    void revokeInvitation(Invitation invitation, AuditEvent event) {
        String id = invitation.organizationId();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(Keys.invitation(id, invitation.id()))
                .updateExpression("SET #state = :revoked, #at = :at")
                .conditionExpression("#state = :pending")
                .expressionAttributeNames(Map.of("#state", "state", "#at", "revokedAt"))
                .expressionAttributeValues(Map.of(":revoked", s(InvitationState.REVOKED.name()), ":pending",
                        s(InvitationState.PENDING.name()), ":at", s(event.occurredAt().toString())))).build());
        items.add(table.delete(Keys.invitationToken(invitation.tokenHash())));
        boolean ownsClaim = table.get("organization read", OrganizationItems.inviteeKey(id, invitation.email()))
                .map(claim -> claim.get("invitationId").s().equals(invitation.id())).orElse(false);
        if (ownsClaim) {
            items.add(claimDelete(invitation));
        }
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("invitation revoke", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0) || ownsClaim && Transactions.failedCondition(reasons, 2)) {
            throw OrgException.concurrentChange();
        }
        throw Transactions.cancelled("invitation revoke", reasons, items.size() - 1);
    }

    /**
     * One {@code TransactWriteItems}: {@code Delete} of the token lookup ({@code attribute_exists(pk) AND
     * invitationId = :id}: the single use), {@code Update} of the invitation to {@code ACCEPTED}
     * ({@code state = PENDING}), {@code Delete} of the invitee claim (when it is this invitation's), {@code Put} of
     * the membership ({@code attribute_not_exists}), {@code Update} of the organization ({@code ADD version :1},
     * {@code attribute_exists}), audit event. Of two parallel accepts of one token, exactly one commits.
     */
    void acceptInvitation(Invitation invitation, Member member, AuditEvent event) {
        String id = invitation.organizationId();
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                        .key(Keys.invitationToken(invitation.tokenHash()))
                        .conditionExpression("attribute_exists(#pk) AND #inv = :inv")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#inv", "invitationId"))
                        .expressionAttributeValues(Map.of(":inv", s(invitation.id())))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table.name())
                        .key(Keys.invitation(id, invitation.id()))
                        .updateExpression("SET #state = :accepted, #by = :by, #at = :at")
                        .conditionExpression("#state = :pending")
                        .expressionAttributeNames(Map.of("#state", "state", "#by", "acceptedBy", "#at", "acceptedAt"))
                        .expressionAttributeValues(Map.of(":accepted", s(InvitationState.ACCEPTED.name()),
                                ":pending", s(InvitationState.PENDING.name()), ":by", s(member.userId()), ":at",
                                s(member.joinedAt().toString())))).build(),
                claimDelete(invitation),
                table.putNew(OrganizationItems.memberItem(member)),
                OrganizationItem.bumpVersion(table.name(), id),
                auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("invitation accept", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 1)
                || Transactions.failedCondition(reasons, 4)) {
            throw OrgException.invitationNotFound();
        }
        if (Transactions.failedCondition(reasons, 3)) {
            throw OrgException.conflict(OrgException.ALREADY_MEMBER, "You are a member of this organization.");
        }
        if (Transactions.failedCondition(reasons, 2)) {
            throw OrgException.concurrentChange();
        }
        throw Transactions.cancelled("invitation accept", reasons, 5);
    }

    private TransactWriteItem claimDelete(Invitation invitation) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                .key(OrganizationItems.inviteeKey(invitation.organizationId(), invitation.email()))
                .conditionExpression("attribute_not_exists(#pk) OR #inv = :inv")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#inv", "invitationId"))
                .expressionAttributeValues(Map.of(":inv", s(invitation.id())))).build();
    }
}
