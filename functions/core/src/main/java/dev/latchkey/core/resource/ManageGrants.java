package dev.latchkey.core.resource;

import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The use cases of {@code /v1/orgs/{orgId}/resources/{resourceId}/grants} (docs/resources.md "Grants"): who holds
 * which of a resource's scopes. A grantee is named by id — {@code usr_…} (a member of the organization),
 * {@code team_…} (a team of it) or {@code cli_…} (a service client of it) — and checked in the write's own
 * transaction. Audit: {@code grant.set}, {@code grant.removed}, target {@code resource/<resourceId>}, detail
 * {@code grantee_id}.
 */
public final class ManageGrants {

    /** The most grants one resource carries (so a scope removal rewrites them all in one transaction). */
    public static final int MAX_GRANTS_PER_RESOURCE = 95;

    private final ResourceRepository resources;
    private final Clock clock;
    private final ResourceAudit audit;

    /**
     * @param resources the store
     * @param ids event ids
     * @param clock times
     */
    public ManageGrants(ResourceRepository resources, IdGenerator ids, Clock clock) {
        this.resources = Objects.requireNonNull(resources, "resources");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = new ResourceAudit(Objects.requireNonNull(ids, "ids"), clock);
    }

    /**
     * Every grant on the resource ({@code resource:read}).
     *
     * @throws ResourceException 404 for the resource
     */
    public List<Grant> list(OrgAccess access, String resourceId) {
        ManageResources.find(resources, access, resourceId);
        return resources.grants(access.organizationId(), resourceId);
    }

    /**
     * Replaces the grantee's scopes on the resource ({@code resource:manage}). Each scope must be one of the
     * resource's; the list may not be empty (use {@link #remove}). Setting the same scopes again writes nothing.
     *
     * @return the grant, its scopes in the resource's order
     * @throws ResourceException 400 for bad scopes, 404 for the resource or a grantee not in the organization (a
     *     malformed grantee id too), 409 {@code TOO_MANY_GRANTS} or {@code CONCURRENT_CHANGE}
     */
    public Grant set(OrgAccess access, String resourceId, String granteeId, List<String> scopes,
            RequestOrigin origin) {
        GranteeType type = GranteeType.of(granteeId).orElseThrow(ResourceException::granteeNotFound);
        if (scopes == null || scopes.isEmpty()) {
            throw ResourceException.invalid("scopes", "REQUIRED",
                    "Field 'scopes' lists at least one scope; DELETE the grant to remove it.");
        }
        StoredResource stored = ManageResources.find(resources, access, resourceId);
        Resource resource = stored.resource();
        Set<String> asked = new HashSet<>();
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            if (scope == null || !resource.scopes().contains(scope)) {
                throw ResourceException.invalid("scopes[" + i + "]", "UNKNOWN_SCOPE",
                        "Each scope must be one the resource defines.");
            }
            if (!asked.add(scope)) {
                throw ResourceException.invalid("scopes[" + i + "]", "DUPLICATE", "Scopes are listed once.");
            }
        }
        List<String> ordered = resource.scopes().stream().filter(asked::contains).toList();
        List<Grant> grants = resources.grants(access.organizationId(), resourceId);
        Optional<Grant> existing = grants.stream().filter(g -> g.granteeId().equals(granteeId)).findFirst();
        if (existing.isPresent() && existing.get().scopes().equals(ordered)) {
            return existing.get();
        }
        if (existing.isEmpty() && grants.size() >= MAX_GRANTS_PER_RESOURCE) {
            throw ResourceException.conflict("TOO_MANY_GRANTS", "A resource has at most " + MAX_GRANTS_PER_RESOURCE
                    + " grants; grant to a team instead.");
        }
        Grant grant = new Grant(access.organizationId(), resourceId, granteeId, type, ordered,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), access.caller().actor().id());
        resources.putGrant(stored, grant, audit.event(ResourceAudit.GRANT_SET, access, resourceId, origin,
                Map.of("grantee_id", granteeId, "grantee_type", type.text(),
                        "scope_count", Integer.toString(ordered.size()))));
        return grant;
    }

    /**
     * Removes the grantee's grant on the resource ({@code resource:manage}).
     *
     * @throws ResourceException 404 for the resource or when there is no such grant, 409 {@code CONCURRENT_CHANGE}
     */
    public void remove(OrgAccess access, String resourceId, String granteeId, RequestOrigin origin) {
        GranteeType.of(granteeId).orElseThrow(ResourceException::granteeNotFound);
        StoredResource stored = ManageResources.find(resources, access, resourceId);
        Grant grant = resources.grants(access.organizationId(), resourceId).stream()
                .filter(g -> g.granteeId().equals(granteeId)).findFirst()
                .orElseThrow(ResourceException::granteeNotFound);
        resources.deleteGrant(stored, grant, audit.event(ResourceAudit.GRANT_REMOVED, access, resourceId, origin,
                Map.of("grantee_id", granteeId, "grantee_type", grant.granteeType().text())));
    }
}
