package dev.latchkey.core.team;

import java.time.Instant;
import java.util.Objects;

/**
 * A member of the organization in one of its teams.
 *
 * @param organizationId the team's organization
 * @param teamId {@code team_…}
 * @param userId {@code usr_…}, a member of the organization
 * @param addedAt when
 * @param addedBy the actor id that added the user
 */
public record TeamMember(String organizationId, String teamId, String userId, Instant addedAt, String addedBy) {

    /** Checks nothing is missing. */
    public TeamMember {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(addedAt, "addedAt");
        Objects.requireNonNull(addedBy, "addedBy");
    }
}
