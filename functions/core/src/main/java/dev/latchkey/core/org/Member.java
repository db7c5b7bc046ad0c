package dev.latchkey.core.org;

import dev.latchkey.core.access.Role;
import java.time.Instant;
import java.util.Objects;

/**
 * A user's membership of an organization ({@code ORG#<orgId>} / {@code MEMBER#<userId>}).
 *
 * @param organizationId {@code org_…}
 * @param userId {@code usr_…}
 * @param role the member's role
 * @param joinedAt when the membership began
 */
public record Member(String organizationId, String userId, Role role, Instant joinedAt) {

    /** Checks nothing is missing. */
    public Member {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(joinedAt, "joinedAt");
    }

    /** The same membership with another role. */
    public Member withRole(Role value) {
        return new Member(organizationId, userId, value, joinedAt);
    }
}
