package dev.latchkey.core.org;

import java.time.Instant;
import java.util.Objects;

/**
 * An organization as stored ({@code ORG#<orgId>} / {@code ORG}).
 *
 * @param id {@code org_…}
 * @param name the display name, see {@link OrganizationName}
 * @param personal whether it is the organization made with an account at registration (never deleted)
 * @param createdAt when it was created
 * @param createdBy the {@code usr_…} who created it
 * @param version bumped by every write that adds something under the organization (member, invitation,
 *     team, resource, grant, client), so a delete can prove that nothing was added since it looked
 * @param requireMfa whether members must sign in with a second factor to use it (issue 14 item 5,
 *     {@code access.OrganizationMfaPolicy})
 */
public record Organization(String id, String name, boolean personal, Instant createdAt, String createdBy,
        long version, boolean requireMfa) {

    /** Checks nothing is missing. */
    public Organization {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        if (!id.startsWith("org_")) {
            throw new IllegalArgumentException("organization id must start with org_");
        }
    }

    /** An organization without a second-factor policy (every new one). */
    public Organization(String id, String name, boolean personal, Instant createdAt, String createdBy,
            long version) {
        this(id, name, personal, createdAt, createdBy, version, false);
    }

    /** The same organization with another name. */
    public Organization withName(String value) {
        return new Organization(id, value, personal, createdAt, createdBy, version, requireMfa);
    }

    /** The same organization with another {@code require_mfa}. */
    public Organization withRequireMfa(boolean value) {
        return new Organization(id, name, personal, createdAt, createdBy, version, value);
    }
}
