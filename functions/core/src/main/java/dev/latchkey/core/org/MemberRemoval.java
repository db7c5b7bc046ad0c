package dev.latchkey.core.org;

import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.Permissions;
import java.util.Objects;

/**
 * What {@code DELETE /v1/orgs/{orgId}/members/{userId}} means for this caller (docs/organizations.md): the caller
 * themselves → leave, which needs membership only; anyone else → remove that member, which needs
 * {@code member:remove}. Decided before authorization, so the route authorizes the right permission and
 * {@link ManageMembers#remove(dev.latchkey.core.principal.OrgAccess, MemberRemoval,
 * dev.latchkey.core.principal.RequestOrigin)} does the matching write.
 *
 * @param userId the member to remove (the path's {@code {userId}})
 * @param leaving whether the caller is that user
 */
public record MemberRemoval(String userId, boolean leaving) {

    /** Checks nothing is missing. */
    public MemberRemoval {
        Objects.requireNonNull(userId, "userId");
    }

    /** The removal {@code caller} asks for: leaving when it is the user {@code userId}, else removing them. */
    public static MemberRemoval of(Caller caller, String userId) {
        return new MemberRemoval(userId, caller instanceof Caller.User user && user.userId().equals(userId));
    }

    /**
     * The permission to authorize in the organization: {@link Permissions#ORG_READ} to leave (every role holds it,
     * so this authorizes "is a member"), {@link Permissions#MEMBER_REMOVE} to remove another member.
     */
    public String permission() {
        return leaving ? Permissions.ORG_READ : Permissions.MEMBER_REMOVE;
    }
}
