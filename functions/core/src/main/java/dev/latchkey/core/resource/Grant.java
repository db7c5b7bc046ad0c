package dev.latchkey.core.resource;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Some of a resource's scopes given to one grantee of the resource's organization. A grant carries no Latchkey
 * permission: resource scopes never are one.
 *
 * @param organizationId the resource's (and grantee's) organization
 * @param resourceId {@code res_…}
 * @param granteeId {@code usr_…}, {@code team_…} or {@code cli_…}
 * @param granteeType told by the id's prefix
 * @param scopes a non-empty subset of the resource's scopes, in the resource's order
 * @param grantedAt when it was last set
 * @param grantedBy the actor id that last set it
 */
public record Grant(String organizationId, String resourceId, String granteeId, GranteeType granteeType,
        List<String> scopes, Instant grantedAt, String grantedBy) {

    /** Copies the scopes. */
    public Grant {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(granteeId, "granteeId");
        Objects.requireNonNull(granteeType, "granteeType");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(grantedAt, "grantedAt");
        Objects.requireNonNull(grantedBy, "grantedBy");
    }
}
