package dev.latchkey.core.org;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory {@link OrganizationRepository} with the port's contract, for use-case tests (shared through the
 * core test jar). Every method is atomic (synchronized) and each change records its audit event into the given
 * {@link AuditLog} in the same step, like the adapter's transaction. Versions are bumped by every addition
 * under an organization. Tests may add the things other areas keep under an organization
 * ({@link #addDependent}) and run code between a read and a write ({@link #beforeWrite}).
 */
public final class InMemoryOrganizationRepository implements OrganizationRepository {

    private final AuditLog auditLog;
    private final Map<String, Organization> organizations = new TreeMap<>();
    private final Map<String, Map<String, Member>> members = new TreeMap<>();
    private final Map<String, Map<String, Invitation>> invitations = new TreeMap<>();
    private final Map<String, String> tokens = new TreeMap<>();
    private final Map<String, Map<String, Integer>> dependents = new TreeMap<>();
    private Runnable beforeWrite = () -> { };

    /** @param auditLog receives the audit event of every change, in the same step */
    public InMemoryOrganizationRepository(AuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** Runs {@code action} once at the start of the next write (to simulate a concurrent change). */
    public synchronized InMemoryOrganizationRepository beforeWrite(Runnable action) {
        this.beforeWrite = action;
        return this;
    }

    /**
     * Adds something of another area under the organization ({@code teams}, {@code resources}, {@code grants},
     * {@code clients}, {@code api_keys}), bumping its version as those writes do.
     */
    public synchronized void addDependent(String organizationId, String kind) {
        dependents.computeIfAbsent(organizationId, k -> new TreeMap<>()).merge(kind, 1, Integer::sum);
        bump(organizationId);
    }

    /** Puts a membership directly (as registration does for a personal organization's owner). */
    public synchronized void putMember(Member member) {
        members.computeIfAbsent(member.organizationId(), k -> new TreeMap<>()).put(member.userId(), member);
        bump(member.organizationId());
    }

    /** Puts an organization directly (a personal one, as registration makes it). */
    public synchronized void putOrganization(Organization organization) {
        organizations.put(organization.id(), organization);
    }

    /** Whether a token hash still has a lookup. */
    public synchronized boolean hasToken(String tokenHash) {
        return tokens.containsKey(tokenHash);
    }

    @Override
    public synchronized void create(Organization organization, Member owner, AuditEvent event) {
        write();
        if (organizations.containsKey(organization.id())) {
            throw OrgException.conflict("ALREADY_EXISTS", "An organization with this id exists.");
        }
        auditLog.record(event);
        organizations.put(organization.id(), organization);
        members.computeIfAbsent(organization.id(), k -> new TreeMap<>()).put(owner.userId(), owner);
    }

    @Override
    public synchronized Optional<Organization> find(String organizationId) {
        return Optional.ofNullable(organizations.get(organizationId));
    }

    @Override
    public synchronized List<MemberOrganization> organizationsOf(String userId) {
        List<MemberOrganization> result = new ArrayList<>();
        members.forEach((orgId, byUser) -> {
            Member member = byUser.get(userId);
            if (member != null && organizations.containsKey(orgId)) {
                result.add(new MemberOrganization(organizations.get(orgId), member.role()));
            }
        });
        return result;
    }

    @Override
    public synchronized void update(Organization organization, List<AuditEvent> events) {
        write();
        Organization stored = organizations.get(organization.id());
        if (stored == null) {
            throw OrgException.notFound();
        }
        events.forEach(auditLog::record);
        organizations.put(stored.id(), stored.withName(organization.name()).withRequireMfa(organization.requireMfa()));
    }

    @Override
    public synchronized OrganizationContents contents(String organizationId) {
        Organization organization = find(organizationId).orElseThrow(OrgException::notFound);
        Map<String, Integer> other = dependents.getOrDefault(organizationId, Map.of());
        return new OrganizationContents(organization, List.copyOf(membersOf(organizationId).keySet()),
                other.getOrDefault("teams", 0), other.getOrDefault("resources", 0), other.getOrDefault("grants", 0),
                other.getOrDefault("clients", 0), other.getOrDefault("api_keys", 0),
                other.getOrDefault("applications", 0), 0,
                List.copyOf(invitationsOf(organizationId).values()));
    }

    @Override
    public synchronized void delete(OrganizationContents contents, Optional<String> deleterUserId, AuditEvent event) {
        write();
        String id = contents.organization().id();
        Organization stored = organizations.get(id);
        if (stored == null || stored.version() != contents.organization().version()) {
            throw OrgException.concurrentChange();
        }
        auditLog.record(event);
        organizations.remove(id);
        deleterUserId.ifPresent(userId -> membersOf(id).remove(userId));
        for (Invitation invitation : contents.invitations()) {
            invitationsOf(id).remove(invitation.id());
            tokens.remove(invitation.tokenHash());
        }
    }

    @Override
    public synchronized Optional<Member> member(String organizationId, String userId) {
        return Optional.ofNullable(membersOf(organizationId).get(userId));
    }

    @Override
    public synchronized MemberPage members(String organizationId, int limit, Optional<String> after) {
        List<Member> all = new ArrayList<>(membersOf(organizationId).values());
        List<Member> page = all.stream().filter(m -> after.isEmpty() || m.userId().compareTo(after.get()) > 0)
                .limit(limit + 1L).toList();
        if (page.size() > limit) {
            return new MemberPage(page.subList(0, limit), Optional.of(page.get(limit - 1).userId()));
        }
        return new MemberPage(page, Optional.empty());
    }

    @Override
    public synchronized List<Member> owners(String organizationId) {
        return membersOf(organizationId).values().stream().filter(m -> m.role() == Role.OWNER).toList();
    }

    @Override
    public synchronized void changeRole(Member member, Role newRole, Optional<String> ownerMustRemain,
            AuditEvent event) {
        write();
        checkMember(member, ownerMustRemain);
        auditLog.record(event);
        membersOf(member.organizationId()).put(member.userId(), member.withRole(newRole));
    }

    @Override
    public synchronized void removeMember(Member member, Optional<String> ownerMustRemain, AuditEvent event) {
        write();
        checkMember(member, ownerMustRemain);
        auditLog.record(event);
        membersOf(member.organizationId()).remove(member.userId());
    }

    @Override
    public synchronized void createInvitation(Invitation invitation, Instant now, AuditEvent event) {
        write();
        if (!organizations.containsKey(invitation.organizationId())) {
            throw OrgException.notFound();
        }
        boolean open = invitationsOf(invitation.organizationId()).values().stream()
                .anyMatch(i -> i.email().equals(invitation.email()) && i.openAt(now));
        if (open) {
            throw OrgException.conflict(OrgException.ALREADY_INVITED,
                    "An open invitation for this address exists.");
        }
        auditLog.record(event);
        invitationsOf(invitation.organizationId()).put(invitation.id(), invitation);
        tokens.put(invitation.tokenHash(), invitation.organizationId() + "/" + invitation.id());
        bump(invitation.organizationId());
    }

    @Override
    public synchronized Optional<Invitation> invitation(String organizationId, String invitationId) {
        return Optional.ofNullable(invitationsOf(organizationId).get(invitationId));
    }

    @Override
    public synchronized Optional<Invitation> invitationByToken(String tokenHash) {
        String where = tokens.get(tokenHash);
        if (where == null) {
            return Optional.empty();
        }
        String[] parts = where.split("/");
        return invitation(parts[0], parts[1]);
    }

    @Override
    public synchronized InvitationPage invitations(String organizationId, int limit, Optional<String> after) {
        List<Invitation> page = invitationsOf(organizationId).values().stream()
                .filter(i -> after.isEmpty() || i.id().compareTo(after.get()) > 0).limit(limit + 1L).toList();
        if (page.size() > limit) {
            return new InvitationPage(page.subList(0, limit), Optional.of(page.get(limit - 1).id()));
        }
        return new InvitationPage(page, Optional.empty());
    }

    @Override
    public synchronized int openInvitations(String organizationId, Instant now) {
        return (int) invitationsOf(organizationId).values().stream().filter(i -> i.openAt(now)).count();
    }

    @Override
    public synchronized void revokeInvitation(Invitation invitation, AuditEvent event) {
        write();
        Invitation stored = invitationsOf(invitation.organizationId()).get(invitation.id());
        if (stored == null || stored.state() != InvitationState.PENDING) {
            throw OrgException.concurrentChange();
        }
        auditLog.record(event);
        invitationsOf(invitation.organizationId()).put(invitation.id(), stored.withState(InvitationState.REVOKED));
        tokens.remove(stored.tokenHash());
    }

    @Override
    public synchronized void acceptInvitation(Invitation invitation, Member member, AuditEvent event) {
        write();
        Invitation stored = invitationsOf(invitation.organizationId()).get(invitation.id());
        if (stored == null || stored.state() != InvitationState.PENDING || !tokens.containsKey(stored.tokenHash())) {
            throw OrgException.invitationNotFound();
        }
        if (!organizations.containsKey(member.organizationId())) {
            throw OrgException.invitationNotFound();
        }
        if (membersOf(member.organizationId()).containsKey(member.userId())) {
            throw OrgException.conflict(OrgException.ALREADY_MEMBER, "You are a member of this organization.");
        }
        auditLog.record(event);
        invitationsOf(invitation.organizationId()).put(invitation.id(), stored.withState(InvitationState.ACCEPTED));
        tokens.remove(stored.tokenHash());
        membersOf(member.organizationId()).put(member.userId(), member);
        bump(member.organizationId());
    }

    private void write() {
        Runnable action = beforeWrite;
        beforeWrite = () -> { };
        action.run();
    }

    private void checkMember(Member member, Optional<String> ownerMustRemain) {
        Member stored = membersOf(member.organizationId()).get(member.userId());
        if (stored == null) {
            throw OrgException.notFound();
        }
        if (stored.role() != member.role()) {
            throw OrgException.concurrentChange();
        }
        if (ownerMustRemain.isPresent()) {
            Member other = membersOf(member.organizationId()).get(ownerMustRemain.get());
            if (other == null || other.role() != Role.OWNER) {
                throw OrgException.lastOwner();
            }
        }
    }

    private void bump(String organizationId) {
        Organization organization = organizations.get(organizationId);
        if (organization != null) {
            organizations.put(organizationId, new Organization(organization.id(), organization.name(),
                    organization.personal(), organization.createdAt(), organization.createdBy(),
                    organization.version() + 1));
        }
    }

    private Map<String, Member> membersOf(String organizationId) {
        return members.computeIfAbsent(organizationId, k -> new TreeMap<>());
    }

    private Map<String, Invitation> invitationsOf(String organizationId) {
        return invitations.computeIfAbsent(organizationId, k -> new TreeMap<>());
    }
}
