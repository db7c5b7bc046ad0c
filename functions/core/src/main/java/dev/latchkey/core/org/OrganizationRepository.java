package dev.latchkey.core.org;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: organizations, their members and invitations. Adapter: {@code DynamoDbOrganizationRepository}
 * (docs/data-model.md). Every change is written with its audit event in one transaction; every read a decision
 * depends on is strongly consistent. Every write that adds something under an organization bumps its
 * {@link Organization#version()}, so {@link #delete} can condition on nothing having been added.
 *
 * <p>Store failures surface as {@link dev.latchkey.core.store.StoreUnavailableException} (503) on every method.
 */
public interface OrganizationRepository {

    /**
     * Stores a new organization and its first owner.
     *
     * @throws OrgException {@code CONFLICT} when the id exists (never overwrites)
     */
    void create(Organization organization, Member owner, AuditEvent event);

    /** The organization, strongly consistent; empty when there is none. */
    Optional<Organization> find(String organizationId);

    /**
     * The user's organizations with the user's role in each, in organization id order. Read from an eventually
     * consistent index: an organization joined a moment ago may be missing for about a second.
     */
    List<MemberOrganization> organizationsOf(String userId);

    /**
     * Writes an organization's settings — its name and {@code require_mfa} — with their audit events, in one
     * transaction.
     *
     * @param organization the organization as it is to be (only {@code name} and {@code requireMfa} are written)
     * @param events one per change
     * @throws OrgException {@code NOT_FOUND} when it is gone
     */
    void update(Organization organization, List<AuditEvent> events);

    /**
     * Everything the organization holds, for its deletion: the organization (strongly consistent), then its
     * members, teams, resources, grants and invitations (a strongly consistent read of its partition), its
     * clients and API keys (an index).
     *
     * @throws OrgException {@code NOT_FOUND} when it is gone
     */
    OrganizationContents contents(String organizationId);

    /**
     * Deletes the organization if its version is still {@code contents.organization().version()}; with it the
     * deleter's membership (when a user deletes), every pending invitation and its token, and the audit event.
     *
     * @param deleterUserId the member whose membership goes with it, if a user deletes
     * @throws OrgException {@code CONFLICT}/{@code CONCURRENT_CHANGE} when anything was added (or it vanished)
     */
    void delete(OrganizationContents contents, Optional<String> deleterUserId, AuditEvent event);

    /** One membership, strongly consistent. */
    Optional<Member> member(String organizationId, String userId);

    /**
     * One page of members in user id order, strongly consistent.
     *
     * @param after the last user id of the previous page
     */
    MemberPage members(String organizationId, int limit, Optional<String> after);

    /** Every owner of the organization, strongly consistent. */
    List<Member> owners(String organizationId);

    /**
     * Changes a member's role if it is still {@code member.role()}.
     *
     * @param ownerMustRemain a user whose membership must still have role owner when this commits (given when an
     *     owner is demoted), so two parallel demotions of the last two owners never both commit
     * @throws OrgException {@code NOT_FOUND} when the membership is gone; {@code CONCURRENT_CHANGE} when its role
     *     changed; {@code LAST_OWNER} when {@code ownerMustRemain} is no owner any more
     */
    void changeRole(Member member, Role newRole, Optional<String> ownerMustRemain, AuditEvent event);

    /**
     * Ends a membership if its role is still {@code member.role()}, together with the user's team memberships and
     * grants in the organization, atomically; a concurrent addition under the organization makes it read again.
     *
     * @param ownerMustRemain as for {@link #changeRole} (given when an owner goes)
     * @throws OrgException as for {@link #changeRole}
     */
    void removeMember(Member member, Optional<String> ownerMustRemain, AuditEvent event);

    /**
     * Stores a new pending invitation and its token lookup, bumping the organization's version.
     *
     * @param now open invitations for the same address block it; expired ones do not
     * @throws OrgException {@code CONFLICT}/{@code ALREADY_INVITED} for an open invitation for the same address;
     *     {@code NOT_FOUND} when the organization is gone
     */
    void createInvitation(Invitation invitation, Instant now, AuditEvent event);

    /** One invitation of the organization, strongly consistent. */
    Optional<Invitation> invitation(String organizationId, String invitationId);

    /** The invitation a token hash leads to (lookup, then invitation; both strongly consistent). */
    Optional<Invitation> invitationByToken(String tokenHash);

    /**
     * One page of the organization's invitations (any state) in id order, strongly consistent.
     *
     * @param after the last invitation id of the previous page
     */
    InvitationPage invitations(String organizationId, int limit, Optional<String> after);

    /** How many pending, unexpired invitations the organization has. */
    int openInvitations(String organizationId, Instant now);

    /**
     * Revokes a pending invitation and deletes its token.
     *
     * @throws OrgException {@code CONCURRENT_CHANGE} when it is no longer pending
     */
    void revokeInvitation(Invitation invitation, AuditEvent event);

    /**
     * Accepts an invitation: spends its token, marks it accepted, adds the membership and bumps the
     * organization's version, in one transaction.
     *
     * @throws OrgException {@code NOT_FOUND}/{@code INVITATION_NOT_FOUND} when the token was spent or revoked
     *     meanwhile; {@code CONFLICT}/{@code ALREADY_MEMBER} when the user is a member; {@code NOT_FOUND} when the
     *     organization is gone
     */
    void acceptInvitation(Invitation invitation, Member member, AuditEvent event);
}
