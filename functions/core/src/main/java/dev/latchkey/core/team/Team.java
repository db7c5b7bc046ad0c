package dev.latchkey.core.team;

import java.time.Instant;
import java.util.Objects;

/**
 * A named group of an organization's members. A team holds no Latchkey permission by itself: it is a grantee of
 * resource scopes (docs/resources.md).
 *
 * @param teamId {@code team_…}
 * @param organizationId the owning organization
 * @param name 1–{@value TeamException#MAX_NAME} characters, unique in the organization (case-insensitively)
 * @param createdAt when
 * @param createdBy the actor id that created it
 * @param version bumped by every change of the team or of its members, so a delete sees them all
 */
public record Team(String teamId, String organizationId, String name, Instant createdAt, String createdBy,
        long version) {

    /** Checks nothing is missing. */
    public Team {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }

    /** The same team with another name and the next version. */
    public Team renamed(String newName) {
        return new Team(teamId, organizationId, newName, createdAt, createdBy, version + 1);
    }
}
