package dev.latchkey.core.resource;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One of an organization's own APIs or data vaults, named by the audience URI its tokens carry in {@code aud}
 * (RFC 8707 resource indicator), with the scope names it understands. Audiences are unique across the whole
 * deployment, so a token's {@code aud} names exactly one organization's resource.
 *
 * @param resourceId {@code res_…}
 * @param organizationId the owning organization
 * @param audience an absolute {@code https} URI ({@code http} only for localhost), without fragment
 * @param name a label for people
 * @param scopes the scope names the resource defines, each {@link dev.latchkey.core.principal.Permissions#isValid}
 *     and never a Latchkey permission
 * @param createdAt when
 * @param createdBy the actor id that created it
 */
public record Resource(String resourceId, String organizationId, String audience, String name, List<String> scopes,
        Instant createdAt, String createdBy) {

    /** Copies the scopes. */
    public Resource {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(name, "name");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }
}
