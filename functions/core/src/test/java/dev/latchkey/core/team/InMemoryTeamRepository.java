package dev.latchkey.core.team;

import dev.latchkey.core.access.MembershipDirectory;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.resource.InMemoryResourceRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * An in-memory {@link TeamRepository} with the port's contract, for use-case tests (shared through the core test
 * jar). Every change is atomic (synchronized) and records its audit event into the given {@link AuditLog} as part
 * of it. Members are checked against the membership directory; a team's delete removes its grants from the
 * resource repository given to {@link #resources}. Counts reads.
 */
public final class InMemoryTeamRepository implements TeamRepository {

    private final AuditLog auditLog;
    private final MembershipDirectory memberships;
    private final Map<String, Team> teams = new TreeMap<>();
    private final Map<String, TeamMember> members = new TreeMap<>();
    private final Map<String, Long> organizationVersions = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private InMemoryResourceRepository resources;

    /**
     * @param auditLog receives every change's audit event
     * @param memberships who is a member of which organization
     */
    public InMemoryTeamRepository(AuditLog auditLog, MembershipDirectory memberships) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.memberships = Objects.requireNonNull(memberships, "memberships");
    }

    /** Where a team's delete removes its grants. */
    public synchronized InMemoryTeamRepository resources(InMemoryResourceRepository value) {
        this.resources = value;
        return this;
    }

    /** Puts the user in the team as it is (no checks: for arranging tests). */
    public synchronized InMemoryTeamRepository addMember(String organizationId, String teamId, String userId) {
        members.put(memberKey(organizationId, teamId, userId), new TeamMember(organizationId, teamId, userId,
                java.time.Instant.EPOCH, "usr_test"));
        return this;
    }

    /** Takes the user out of the team, if in it (no audit: for arranging tests). */
    public synchronized InMemoryTeamRepository removeMember(String organizationId, String teamId, String userId) {
        members.remove(memberKey(organizationId, teamId, userId));
        return this;
    }

    /** How often an add bumped the organization's version. */
    public synchronized long organizationVersion(String organizationId) {
        return organizationVersions.getOrDefault(organizationId, 0L);
    }

    /** How many times {@link #teamIds} was called. */
    public int reads() {
        return reads.get();
    }

    @Override
    public synchronized Set<String> teamIds(String organizationId, String userId) {
        reads.incrementAndGet();
        return members.values().stream()
                .filter(m -> m.organizationId().equals(organizationId) && m.userId().equals(userId))
                .map(TeamMember::teamId).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public synchronized void create(Team team, AuditEvent event) {
        requireFreeName(team.organizationId(), team.name());
        auditLog.record(event);
        teams.put(key(team.organizationId(), team.teamId()), team);
        organizationVersions.merge(team.organizationId(), 1L, Long::sum);
    }

    @Override
    public synchronized Optional<Team> find(String organizationId, String teamId) {
        return Optional.ofNullable(teams.get(key(organizationId, teamId)));
    }

    @Override
    public synchronized List<Team> list(String organizationId) {
        return teams.values().stream().filter(t -> t.organizationId().equals(organizationId)).toList();
    }

    @Override
    public synchronized List<TeamMember> members(String organizationId, String teamId) {
        return members.values().stream()
                .filter(m -> m.organizationId().equals(organizationId) && m.teamId().equals(teamId)).toList();
    }

    @Override
    public synchronized void rename(Team before, String newName, AuditEvent event) {
        checkVersion(before);
        if (!TeamException.nameKey(newName).equals(TeamException.nameKey(before.name()))) {
            requireFreeName(before.organizationId(), newName);
        }
        auditLog.record(event);
        teams.put(key(before.organizationId(), before.teamId()), before.renamed(newName));
    }

    @Override
    public synchronized void delete(Team team, AuditEvent event) {
        checkVersion(team);
        auditLog.record(event);
        teams.remove(key(team.organizationId(), team.teamId()));
        members.values().removeIf(m -> m.organizationId().equals(team.organizationId())
                && m.teamId().equals(team.teamId()));
        if (resources != null) {
            resources.removeGrantsTo(team.organizationId(), team.teamId());
        }
    }

    @Override
    public synchronized TeamMember addMember(Team team, TeamMember member, AuditEvent event) {
        Team current = teams.get(key(team.organizationId(), team.teamId()));
        if (current == null) {
            throw TeamException.notFound();
        }
        TeamMember existing = members.get(memberKey(member.organizationId(), member.teamId(), member.userId()));
        if (existing != null) {
            return existing;
        }
        if (memberships.role(member.organizationId(), member.userId()).isEmpty()) {
            throw TeamException.notAnOrganizationMember();
        }
        auditLog.record(event);
        members.put(memberKey(member.organizationId(), member.teamId(), member.userId()), member);
        teams.put(key(team.organizationId(), team.teamId()), bumped(current));
        organizationVersions.merge(team.organizationId(), 1L, Long::sum);
        return member;
    }

    @Override
    public synchronized void removeMember(Team team, String userId, AuditEvent event) {
        Team current = teams.get(key(team.organizationId(), team.teamId()));
        if (current == null) {
            throw TeamException.notFound();
        }
        if (!members.containsKey(memberKey(team.organizationId(), team.teamId(), userId))) {
            throw TeamException.notATeamMember();
        }
        auditLog.record(event);
        members.remove(memberKey(team.organizationId(), team.teamId(), userId));
        teams.put(key(team.organizationId(), team.teamId()), bumped(current));
    }

    private static Team bumped(Team team) {
        return new Team(team.teamId(), team.organizationId(), team.name(), team.createdAt(), team.createdBy(),
                team.version() + 1);
    }

    private void requireFreeName(String organizationId, String name) {
        boolean taken = teams.values().stream().anyMatch(t -> t.organizationId().equals(organizationId)
                && TeamException.nameKey(t.name()).equals(TeamException.nameKey(name)));
        if (taken) {
            throw TeamException.conflict("NAME_TAKEN", "The organization has a team of this name.");
        }
    }

    private void checkVersion(Team expected) {
        Team current = teams.get(key(expected.organizationId(), expected.teamId()));
        if (current == null || current.version() != expected.version()) {
            throw TeamException.conflict("CONCURRENT_CHANGE", "The team changed meanwhile; retry.");
        }
    }

    private static String key(String organizationId, String teamId) {
        return organizationId + "/" + teamId;
    }

    private static String memberKey(String organizationId, String teamId, String userId) {
        return organizationId + "/" + userId + "/" + teamId;
    }
}
