package dev.latchkey.core.org;

import dev.latchkey.core.access.Role;
import java.util.Objects;

/**
 * One of a user's organizations, with the user's role in it ({@code GET /v1/orgs}).
 *
 * @param organization the organization
 * @param role the user's role there
 */
public record MemberOrganization(Organization organization, Role role) {

    /** Checks nothing is missing. */
    public MemberOrganization {
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(role, "role");
    }
}
