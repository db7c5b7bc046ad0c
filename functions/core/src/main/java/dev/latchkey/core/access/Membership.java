package dev.latchkey.core.access;

import java.util.Objects;

/**
 * What an authorization decision needs of a user's membership: the role, and whether the organization requires a
 * second factor of its members ({@code require_mfa}, issue 14 item 5; {@link OrganizationMfaPolicy}).
 *
 * @param role the member's role
 * @param organizationRequiresMfa the organization's {@code require_mfa}
 */
public record Membership(Role role, boolean organizationRequiresMfa) {

    /** Checks nothing is missing. */
    public Membership {
        Objects.requireNonNull(role, "role");
    }
}
