package dev.latchkey.infrastructure.org;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.org.Invitation;
import dev.latchkey.core.org.InvitationPage;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.org.MemberOrganization;
import dev.latchkey.core.org.MemberPage;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.org.OrganizationContents;
import dev.latchkey.core.org.OrganizationRepository;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Core's {@link OrganizationRepository} port over the single table, one adapter per aggregate:
 * {@link DynamoDbOrganizations} (the organization item, its creation, listing, rename, contents, delete),
 * {@link DynamoDbMemberships} (memberships: read, list, role change, removal) and {@link DynamoDbInvitations}
 * (invitations, their token lookups and invitee claims). Keys come from
 * {@link dev.latchkey.infrastructure.dynamodb.Keys}; requests and their counts are documented on each adapter and in
 * docs/data-model.md.
 *
 * <p><b>Failures.</b> SDK failures become {@link StoreUnavailableException} ({@link SingleTable}); logs name the
 * exception class only.
 */
public final class DynamoDbOrganizationRepository implements OrganizationRepository {

    private final DynamoDbOrganizations organizations;
    private final DynamoDbMemberships memberships;
    private final DynamoDbInvitations invitations;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbOrganizationRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this(new SingleTable(client, tableName), auditLog);
    }

    /**
     * @param table the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbOrganizationRepository(SingleTable table, DynamoDbAuditLog auditLog) {
        this.organizations = new DynamoDbOrganizations(table, auditLog);
        this.memberships = new DynamoDbMemberships(table, auditLog, organizations);
        this.invitations = new DynamoDbInvitations(table, auditLog);
    }

    /** A membership item exactly as this adapter (and registration) writes it, for tests that seed one. */
    static Map<String, AttributeValue> memberItem(Member member) {
        return OrganizationItems.memberItem(member);
    }

    @Override
    public void create(Organization organization, Member owner, AuditEvent event) {
        organizations.create(organization, owner, event);
    }

    @Override
    public Optional<Organization> find(String organizationId) {
        return organizations.find(organizationId);
    }

    @Override
    public List<MemberOrganization> organizationsOf(String userId) {
        return organizations.organizationsOf(userId);
    }

    @Override
    public void update(Organization organization, List<AuditEvent> events) {
        organizations.update(organization, events);
    }

    @Override
    public OrganizationContents contents(String organizationId) {
        return organizations.contents(organizationId);
    }

    @Override
    public void delete(OrganizationContents contents, Optional<String> deleterUserId, AuditEvent event) {
        organizations.delete(contents, deleterUserId, event);
    }

    @Override
    public Optional<Member> member(String organizationId, String userId) {
        return memberships.member(organizationId, userId);
    }

    @Override
    public MemberPage members(String organizationId, int limit, Optional<String> after) {
        return memberships.members(organizationId, limit, after);
    }

    @Override
    public List<Member> owners(String organizationId) {
        return memberships.owners(organizationId);
    }

    @Override
    public void changeRole(Member member, Role newRole, Optional<String> ownerMustRemain, AuditEvent event) {
        memberships.changeRole(member, newRole, ownerMustRemain, event);
    }

    @Override
    public void removeMember(Member member, Optional<String> ownerMustRemain, AuditEvent event) {
        memberships.removeMember(member, ownerMustRemain, event);
    }

    @Override
    public void createInvitation(Invitation invitation, Instant now, AuditEvent event) {
        invitations.createInvitation(invitation, now, event);
    }

    @Override
    public Optional<Invitation> invitation(String organizationId, String invitationId) {
        return invitations.invitation(organizationId, invitationId);
    }

    @Override
    public Optional<Invitation> invitationByToken(String tokenHash) {
        return invitations.invitationByToken(tokenHash);
    }

    @Override
    public InvitationPage invitations(String organizationId, int limit, Optional<String> after) {
        return invitations.invitations(organizationId, limit, after);
    }

    @Override
    public int openInvitations(String organizationId, Instant now) {
        return invitations.openInvitations(organizationId, now);
    }

    @Override
    public void revokeInvitation(Invitation invitation, AuditEvent event) {
        invitations.revokeInvitation(invitation, event);
    }

    @Override
    public void acceptInvitation(Invitation invitation, Member member, AuditEvent event) {
        invitations.acceptInvitation(invitation, member, event);
    }
}
