package dev.latchkey.core.team;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.Ids;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The use cases of {@code /v1/orgs/{orgId}/teams} (docs/resources.md "Teams"), each taking an {@link OrgAccess}
 * the authorizer granted for the route's permission ({@code team:read} or {@code team:manage}). Another
 * organization's team answers 404 like one that does not exist. Every change is stored with its audit event
 * ({@code team.created}, {@code team.renamed}, {@code team.deleted}, {@code team.member_added},
 * {@code team.member_removed}; target {@code team/<teamId>}) in one transaction.
 */
public final class ManageTeams {

    /**
     * Most teams per organization, so that a list answers in one page. Checked before the write: two creates at the
     * limit at the same instant may both pass (a bound, not an exact count).
     */
    public static final int MAX_TEAMS = 200;

    static final String CREATED = "team.created";
    static final String RENAMED = "team.renamed";
    static final String DELETED = "team.deleted";
    static final String MEMBER_ADDED = "team.member_added";
    static final String MEMBER_REMOVED = "team.member_removed";

    private final TeamRepository teams;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param teams the store
     * @param ids team and event ids
     * @param clock times
     */
    public ManageTeams(TeamRepository teams, IdGenerator ids, Clock clock) {
        this.teams = Objects.requireNonNull(teams, "teams");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A team with its members. */
    public record TeamDetails(Team team, List<TeamMember> members) {

        /** Copies the members. */
        public TeamDetails {
            Objects.requireNonNull(team, "team");
            members = List.copyOf(members);
        }
    }

    /**
     * Creates a team ({@code team:manage}).
     *
     * @throws TeamException 400 for a bad name, 409 {@code NAME_TAKEN}
     */
    public Team create(OrgAccess access, String name, RequestOrigin origin) {
        String checked = TeamException.name(name);
        if (teams.list(access.organizationId()).size() >= MAX_TEAMS) {
            throw TeamException.conflict("TOO_MANY_TEAMS", "An organization has at most " + MAX_TEAMS + " teams.");
        }
        Team team = new Team(ids.next(IdPrefix.TEAM), access.organizationId(), checked, now(),
                access.caller().actor().id(), 1);
        teams.create(team, event(CREATED, access, team.teamId(), origin, Map.of()));
        return team;
    }

    /** The organization's teams ({@code team:read}). */
    public List<Team> list(OrgAccess access) {
        return teams.list(access.organizationId());
    }

    /**
     * One team with its members ({@code team:read}).
     *
     * @throws TeamException 404
     */
    public TeamDetails show(OrgAccess access, String teamId) {
        Team team = find(access, teamId);
        return new TeamDetails(team, teams.members(team.organizationId(), team.teamId()));
    }

    /**
     * Renames a team ({@code team:manage}); the same name again changes nothing and records nothing.
     *
     * @throws TeamException 400, 404, 409 {@code NAME_TAKEN} or {@code CONCURRENT_CHANGE}
     */
    public Team rename(OrgAccess access, String teamId, String name, RequestOrigin origin) {
        String checked = TeamException.name(name);
        Team team = find(access, teamId);
        if (team.name().equals(checked)) {
            return team;
        }
        teams.rename(team, checked, event(RENAMED, access, teamId, origin, Map.of()));
        return team.renamed(checked);
    }

    /**
     * Deletes a team with its member items and every grant to it ({@code team:manage}).
     *
     * @throws TeamException 404, 409 {@code CONCURRENT_CHANGE} or {@code TEAM_TOO_LARGE}
     */
    public void delete(OrgAccess access, String teamId, RequestOrigin origin) {
        Team team = find(access, teamId);
        teams.delete(team, event(DELETED, access, teamId, origin, Map.of()));
    }

    /**
     * Puts an organization member in a team ({@code team:manage}); already in it answers the same and records
     * nothing.
     *
     * @return the membership
     * @throws TeamException 404 for the team, or {@code NOT_AN_ORGANIZATION_MEMBER} for the user
     */
    public TeamMember addMember(OrgAccess access, String teamId, String userId, RequestOrigin origin) {
        Team team = find(access, teamId);
        if (!Ids.matches(IdPrefix.USER, userId)) {
            throw TeamException.notAnOrganizationMember();
        }
        TeamMember member = new TeamMember(team.organizationId(), teamId, userId, now(),
                access.caller().actor().id());
        return teams.addMember(team, member, event(MEMBER_ADDED, access, teamId, origin, Map.of("user_id", userId)));
    }

    /**
     * Takes a user out of a team ({@code team:manage}).
     *
     * @throws TeamException 404 for the team, or {@code NOT_A_TEAM_MEMBER}
     */
    public void removeMember(OrgAccess access, String teamId, String userId, RequestOrigin origin) {
        Team team = find(access, teamId);
        if (!Ids.matches(IdPrefix.USER, userId)) {
            throw TeamException.notATeamMember();
        }
        teams.removeMember(team, userId, event(MEMBER_REMOVED, access, teamId, origin, Map.of("user_id", userId)));
    }

    private Team find(OrgAccess access, String teamId) {
        if (!Ids.matches(IdPrefix.TEAM, teamId)) {
            throw TeamException.notFound();
        }
        return teams.find(access.organizationId(), teamId).orElseThrow(TeamException::notFound);
    }

    private AuditEvent event(String action, OrgAccess access, String teamId, RequestOrigin origin,
            Map<String, String> details) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .organizationId(access.organizationId())
                .actor(access.caller().actor())
                .action(action)
                .target("team", teamId)
                .requestId(origin.requestId())
                .outcome(Outcome.SUCCESS)
                .details(details);
        origin.sourceIp().ifPresent(event::sourceIp);
        return event.build();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
