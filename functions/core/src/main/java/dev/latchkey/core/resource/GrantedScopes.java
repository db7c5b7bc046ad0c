package dev.latchkey.core.resource;

import dev.latchkey.core.access.Membership;
import dev.latchkey.core.access.MembershipDirectory;
import dev.latchkey.core.access.OrganizationMfaPolicy;
import dev.latchkey.core.team.TeamMemberships;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The grant model (docs/resources.md "How a token gets its scopes") over the table: a token request's
 * {@code audience} is normalized ({@link Audience#normalize}) and looked up by its audience claim; the caller's
 * scopes are then those of the resource's current scopes that are granted to the caller. Scopes a grant still
 * names but the resource no longer defines are never handed out.
 *
 * <p><b>Reads</b> (all strongly consistent): a user costs 4 (audience claim, membership, the user's teams, the
 * resource's grants), a client 2 (audience claim, grants), an API key 1 (audience claim). Nothing is cached, so
 * a revoked grant, a removal from a team or from the organization counts on the next token request.
 *
 * <p>Every refusal — an audience that is malformed, unknown, of another organization, not allowed to a client,
 * or a user who is no member — is the same {@link InvalidTargetException}, so a caller learns nothing about
 * other tenants' resources. A <em>member</em> whose sign-in had no second factor, of an organization that requires
 * one, is refused by the {@link OrganizationMfaPolicy} ({@link dev.latchkey.core.access.MfaRequiredException}); the
 * membership read carries the policy, so this costs no extra request.
 */
public final class GrantedScopes implements TokenAudiences {

    private final ResourceDirectory resources;
    private final MembershipDirectory memberships;
    private final TeamMemberships teams;
    private final OrganizationMfaPolicy mfaPolicy;

    /**
     * @param resources audience claims and grants
     * @param memberships organization memberships (a user must be a member of the resource's organization)
     * @param teams the user's teams
     * @param mfaPolicy the resource's organization's second-factor policy
     */
    public GrantedScopes(ResourceDirectory resources, MembershipDirectory memberships, TeamMemberships teams,
            OrganizationMfaPolicy mfaPolicy) {
        this.resources = Objects.requireNonNull(resources, "resources");
        this.memberships = Objects.requireNonNull(memberships, "memberships");
        this.teams = Objects.requireNonNull(teams, "teams");
        this.mfaPolicy = Objects.requireNonNull(mfaPolicy, "mfaPolicy");
    }

    @Override
    public ResourceAccess forUser(String audience, String userId, List<String> amr) {
        Objects.requireNonNull(amr, "amr");
        Resource resource = resolve(audience);
        Optional<Membership> membership = userId == null ? Optional.empty()
                : memberships.membership(resource.organizationId(), userId);
        if (membership.isEmpty()) {
            throw new InvalidTargetException();
        }
        mfaPolicy.check(membership.get(), userId, amr);
        Set<String> grantees = new HashSet<>(teams.teamIds(resource.organizationId(), userId));
        grantees.add(userId);
        return granted(resource, grantees);
    }

    @Override
    public ResourceAccess forClient(String audience, String organizationId, String clientId,
            List<String> allowedResources) {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(allowedResources, "allowedResources");
        Resource resource = resolve(audience);
        if (!organizationId.equals(resource.organizationId()) || !allowedResources.contains(resource.resourceId())) {
            throw new InvalidTargetException();
        }
        return granted(resource, Set.of(clientId));
    }

    @Override
    public ResourceAccess forApiKey(String audience, String organizationId, Set<String> permissions) {
        Resource resource = resolve(audience);
        if (!resource.organizationId().equals(organizationId)) {
            throw new InvalidTargetException();
        }
        Set<String> held = Set.copyOf(permissions);
        return new ResourceAccess(resource, resource.scopes().stream().filter(held::contains).toList());
    }

    private Resource resolve(String audience) {
        String normalized = Audience.parse(audience).orElseThrow(InvalidTargetException::new);
        return resources.findByAudience(normalized).orElseThrow(InvalidTargetException::new);
    }

    /** The resource's scopes (in its order) that a grant to one of the grantees names. */
    private ResourceAccess granted(Resource resource, Set<String> grantees) {
        Set<String> scopes = new HashSet<>();
        List<Grant> grants = resources.grants(resource.organizationId(), resource.resourceId());
        for (Grant grant : grants) {
            if (grantees.contains(grant.granteeId())) {
                scopes.addAll(grant.scopes());
            }
        }
        return new ResourceAccess(resource, resource.scopes().stream().filter(scopes::contains).toList());
    }
}
