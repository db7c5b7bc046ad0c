package dev.latchkey.core.org;

import java.util.Objects;

/**
 * What accepting an invitation answers: the organization joined and the new membership.
 *
 * @param organization the organization
 * @param member the membership
 */
public record JoinedOrganization(Organization organization, Member member) {

    /** Checks nothing is missing. */
    public JoinedOrganization {
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(member, "member");
    }
}
