package dev.latchkey.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.InMemoryMembershipDirectory;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.team.InMemoryTeamRepository;
import dev.latchkey.core.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link GrantedScopes}: the grant model for users, teams, clients and API keys, and its single refusal. */
class GrantedScopesTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    private static final String AUDIENCE = "https://api.example.com";

    private final MutableClock clock = new MutableClock(T0);
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
    private final InMemoryMembershipDirectory memberships = new InMemoryMembershipDirectory();
    private final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    private final InMemoryResourceRepository resources = new InMemoryResourceRepository(audit, memberships);
    private final InMemoryTeamRepository teams = new InMemoryTeamRepository(audit, memberships);
    private final GrantedScopes granted = new GrantedScopes(resources, memberships, teams,
            new dev.latchkey.core.access.OrganizationMfaPolicy(userId -> false));

    private final String orgId = ids.next(IdPrefix.ORGANIZATION);
    private final String otherOrgId = ids.next(IdPrefix.ORGANIZATION);
    private final String alice = ids.next(IdPrefix.USER);
    private final String bob = ids.next(IdPrefix.USER);
    private final String viewer = ids.next(IdPrefix.USER);
    private final String teamId = ids.next(IdPrefix.TEAM);
    private final String clientId = ids.next(IdPrefix.CLIENT);
    private final Resource resource = new Resource(ids.next(IdPrefix.RESOURCE), orgId, AUDIENCE, "API",
            List.of("write", "read", "admin"), T0, alice);

    GrantedScopesTest() {
        resources.putResource(resource);
        memberships.put(orgId, alice, Role.ADMIN).put(orgId, bob, Role.MEMBER).put(orgId, viewer, Role.VIEWER);
        teams.addMember(orgId, teamId, alice).addMember(orgId, teamId, bob);
        grant(teamId, GranteeType.TEAM, "read");
        grant(alice, GranteeType.USER, "write");
    }

    private void grant(String granteeId, GranteeType type, String... scopes) {
        resources.putGrant(new Grant(orgId, resource.resourceId(), granteeId, type, List.of(scopes), T0, alice));
    }

    @Test
    void userGetsDirectAndTeamGrantsInTheResourcesOrder() {
        ResourceAccess access = granted.forUser(AUDIENCE, alice, List.of());

        assertThat(access.resource()).isEqualTo(resource);
        assertThat(access.scopes()).containsExactly("write", "read");
    }

    @Test
    void userResolutionReadsAudienceMembershipTeamsAndGrantsOnceEach() {
        granted.forUser(AUDIENCE, alice, List.of());

        assertThat(resources.reads()).isEqualTo(2);
        assertThat(memberships.reads()).isEqualTo(1);
        assertThat(teams.reads()).isEqualTo(1);
    }

    @Test
    void teamOnlyMemberGetsTheTeamsScopes() {
        assertThat(granted.forUser(AUDIENCE, bob, List.of()).scopes()).containsExactly("read");
    }

    @Test
    void memberWithoutGrantsGetsTheResourceWithNoScopes() {
        ResourceAccess access = granted.forUser(AUDIENCE, viewer, List.of());

        assertThat(access.resource()).isEqualTo(resource);
        assertThat(access.scopes()).isEmpty();
    }

    @Test
    void removedTeamMemberLosesTheTeamsScopesAtOnce() {
        teams.removeMember(orgId, teamId, bob);

        assertThat(granted.forUser(AUDIENCE, bob, List.of()).scopes()).isEmpty();
    }

    @Test
    void userWhoIsNoLongerAMemberIsRefusedEvenWithAGrantLeft() {
        memberships.remove(orgId, alice);

        assertThatThrownBy(() -> granted.forUser(AUDIENCE, alice, List.of()))
                .isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void memberOfAnotherOrganizationIsRefused() {
        String stranger = ids.next(IdPrefix.USER);
        memberships.put(otherOrgId, stranger, Role.OWNER);

        assertThatThrownBy(() -> granted.forUser(AUDIENCE, stranger, List.of()))
                .isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void scopeAGrantNamesButTheResourceNoLongerDefinesIsNotHandedOut() {
        grant(bob, GranteeType.USER, "read", "delete");

        assertThat(granted.forUser(AUDIENCE, bob, List.of()).scopes()).containsExactly("read");
    }

    @Test
    void grantsOfAnotherResourceDoNotCount() {
        Resource other = new Resource(ids.next(IdPrefix.RESOURCE), orgId, "https://other.example.com", "Other",
                List.of("read", "write"), T0, alice);
        resources.putResource(other);
        resources.putGrant(new Grant(orgId, other.resourceId(), viewer, GranteeType.USER, List.of("read"), T0,
                alice));

        assertThat(granted.forUser(AUDIENCE, viewer, List.of()).scopes()).isEmpty();
        assertThat(granted.forUser("https://other.example.com", viewer, List.of()).scopes()).containsExactly("read");
    }

    @Test
    void audienceIsNormalizedBeforeTheLookup() {
        assertThat(granted.forUser("HTTPS://API.Example.COM:443", alice, List.of()).resource()).isEqualTo(resource);
    }

    @Test
    void unknownMalformedAndMissingAudiencesAllFailTheSameWay() {
        List<String> bad = java.util.Arrays.asList("https://unknown.example.com", "not a uri", "http://api.example.com",
                "https://api.example.com#x", "", null);
        for (String audience : bad) {
            assertThatThrownBy(() -> granted.forUser(audience, alice, List.of()))
                .isInstanceOf(InvalidTargetException.class)
                    .hasMessage(new InvalidTargetException().getMessage());
            assertThatThrownBy(() -> granted.forClient(audience, orgId, clientId, List.of(resource.resourceId())))
                    .isInstanceOf(InvalidTargetException.class);
            assertThatThrownBy(() -> granted.forApiKey(audience, orgId, Set.of("read")))
                    .isInstanceOf(InvalidTargetException.class);
        }
    }

    @Test
    void clientGetsItsOwnGrantsOnly() {
        grant(clientId, GranteeType.CLIENT, "admin", "read");

        ResourceAccess access = granted.forClient(AUDIENCE, orgId, clientId, List.of(resource.resourceId()));

        assertThat(access.scopes()).containsExactly("read", "admin");
        assertThat(resources.reads()).isEqualTo(2);
    }

    @Test
    void clientWithoutGrantsGetsNoScopes() {
        assertThat(granted.forClient(AUDIENCE, orgId, clientId, List.of(resource.resourceId())).scopes()).isEmpty();
    }

    @Test
    void clientIsRefusedAResourceNotAmongItsAllowedOnes() {
        grant(clientId, GranteeType.CLIENT, "read");

        assertThatThrownBy(() -> granted.forClient(AUDIENCE, orgId, clientId, List.of()))
                .isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void clientOfAnotherOrganizationIsRefusedEvenIfItListsTheResource() {
        assertThatThrownBy(() -> granted.forClient(AUDIENCE, otherOrgId, clientId, List.of(resource.resourceId())))
                .isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void apiKeyGetsItsPermissionsTheResourceDefines() {
        ResourceAccess access = granted.forApiKey(AUDIENCE, orgId, Set.of("read", "admin", "org:read", "other"));

        assertThat(access.scopes()).containsExactly("read", "admin");
        assertThat(resources.reads()).isEqualTo(1);
    }

    @Test
    void apiKeyOfAnotherOrganizationIsRefused() {
        assertThatThrownBy(() -> granted.forApiKey(AUDIENCE, otherOrgId, Set.of("read")))
                .isInstanceOf(InvalidTargetException.class);
    }
}
