package dev.latchkey.core.account;

import java.util.Objects;

/**
 * A user's membership of an organization, as {@code GET /v1/users/me} shows it (API.md "login").
 *
 * @param organizationId {@code org_…}
 * @param name the organization's display name
 * @param role the user's role in it, such as {@code owner}
 */
public record Membership(String organizationId, String name, String role) {

    /** Checks nothing is missing. */
    public Membership {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
