package dev.latchkey.core.resource;

import dev.latchkey.core.access.InMemoryMembershipDirectory;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.team.InMemoryTeamRepository;
import dev.latchkey.core.team.ManageTeams;
import dev.latchkey.core.testing.MutableClock;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * The team, resource and grant use cases and {@link GrantedScopes} wired to in-memory fakes and a hand-moved
 * clock (shared through the core test jar): one organization with an owner ({@link #owner}).
 */
public final class ResourceFixture {

    public static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    public static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-1");

    public final MutableClock clock = new MutableClock(T0);
    public final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
    public final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    public final InMemoryMembershipDirectory memberships = new InMemoryMembershipDirectory();
    public final InMemoryTeamRepository teamStore = new InMemoryTeamRepository(audit, memberships);
    public final InMemoryResourceRepository resourceStore = new InMemoryResourceRepository(audit, memberships)
            .teams(teamStore);
    public final ManageTeams teams = new ManageTeams(teamStore, ids, clock);
    public static final URI ISSUER = URI.create("https://id.latchkey.test");

    public final ManageResources resources = new ManageResources(resourceStore, ReservedAudiences.forIssuer(ISSUER),
            ids, clock);
    public final ManageGrants grants = new ManageGrants(resourceStore, ids, clock);
    public final GrantedScopes granted = new GrantedScopes(resourceStore, memberships, teamStore,
            new dev.latchkey.core.access.OrganizationMfaPolicy(userId -> false));
    public final String organizationId = ids.next(IdPrefix.ORGANIZATION);
    public final String ownerId = ids.next(IdPrefix.USER);
    public final OrgAccess owner = new OrgAccess(organizationId, new Caller.User(ownerId, ids.next(IdPrefix.SESSION)),
            Role.OWNER.permissions());

    /** Wires the fakes to each other and makes the owner a member. */
    public ResourceFixture() {
        teamStore.resources(resourceStore);
        memberships.put(organizationId, ownerId, Role.OWNER);
    }

    /** A new member of the organization with the role. */
    public String member(Role role) {
        String userId = ids.next(IdPrefix.USER);
        memberships.put(organizationId, userId, role);
        return userId;
    }
}
