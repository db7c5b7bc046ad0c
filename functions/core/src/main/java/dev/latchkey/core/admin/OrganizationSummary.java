package dev.latchkey.core.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * One organization as {@code latchkey org list} shows it.
 *
 * @param id {@code org_…}
 * @param name its name
 * @param personal whether it is a user's personal organization
 * @param createdAt when it was created
 */
public record OrganizationSummary(String id, String name, boolean personal, Instant createdAt) {

    /** Checks nothing is missing. */
    public OrganizationSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
