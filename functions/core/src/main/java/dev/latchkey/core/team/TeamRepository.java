package dev.latchkey.core.team;

import dev.latchkey.core.audit.AuditEvent;
import java.util.List;
import java.util.Optional;

/**
 * Where teams and their members live. Every change is written together with its audit event in one
 * transaction; every read is strongly consistent unless it says otherwise. Adds (a team, a member) also bump
 * the organization's {@code version}, so an organization is only deleted when it is seen empty.
 */
public interface TeamRepository extends TeamMemberships {

    /**
     * Stores a new team, its name claim and the audit event.
     *
     * @throws TeamException {@code CONFLICT NAME_TAKEN} when the organization has a team of that name
     *     ({@link TeamException#nameKey}); {@code CONFLICT CONCURRENT_CHANGE} when the organization vanished
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    void create(Team team, AuditEvent event);

    /** One team of the organization. */
    Optional<Team> find(String organizationId, String teamId);

    /** Every team of the organization, by id (creation order). */
    List<Team> list(String organizationId);

    /** The team's members, by user id. */
    List<TeamMember> members(String organizationId, String teamId);

    /**
     * Renames a team whose version is still {@code before.version()}, moving its name claim.
     *
     * @throws TeamException {@code CONFLICT NAME_TAKEN} or {@code CONCURRENT_CHANGE}
     */
    void rename(Team before, String newName, AuditEvent event);

    /**
     * Deletes a team whose version is still {@code team.version()}, with its name claim, every member item and
     * every grant to the team, in one transaction.
     *
     * @throws TeamException {@code CONFLICT CONCURRENT_CHANGE}, or {@code TEAM_TOO_LARGE} when its members and
     *     grants do not fit in one transaction ({@value #MAX_ITEMS_ON_DELETE} items)
     */
    void delete(Team team, AuditEvent event);

    /** Most member and grant items one team delete removes. */
    int MAX_ITEMS_ON_DELETE = 96;

    /**
     * Adds an organization member to a team (bumping the team's version). When the user is in the team already
     * nothing is written (nor audited) and the stored membership is answered.
     *
     * @return the stored membership
     * @throws TeamException {@code NOT_FOUND NOT_AN_ORGANIZATION_MEMBER} when the user is no member of the
     *     organization at the time of the write; {@code NOT_FOUND} when the team vanished
     */
    TeamMember addMember(Team team, TeamMember member, AuditEvent event);

    /**
     * Takes a user out of a team (bumping the team's version).
     *
     * @throws TeamException {@code NOT_FOUND NOT_A_TEAM_MEMBER} when the user is not in it
     */
    void removeMember(Team team, String userId, AuditEvent event);
}
