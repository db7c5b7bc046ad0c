package dev.latchkey.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.team.Team;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ManageResources} and {@link ManageGrants}: validation, uniqueness, scope removal, grantees, audit. */
class ManageResourcesAndGrantsTest {

    private final ResourceFixture f = new ResourceFixture();

    private static void assertError(Runnable call, ErrorCode code, String field, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LatchkeyException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (field != null) {
                assertThat(e.details()).containsEntry("field", field);
            }
            if (reason != null) {
                assertThat(e.details()).containsEntry("reason", reason);
            }
        });
    }

    private Resource create(String audience, String... scopes) {
        return f.resources.create(f.owner, "API", audience, List.of(scopes), ResourceFixture.ORIGIN);
    }

    @Test
    void createWhenTheOrganizationHasTheMostResourcesThenConflictAndNothingWritten() {
        for (int i = 0; i < ManageResources.MAX_RESOURCES; i++) {
            f.resources.create(f.owner, "API " + i, "https://api" + i + ".example.com", List.of("read"),
                    ResourceFixture.ORIGIN);
        }
        int events = f.audit.events().size();

        assertError(() -> f.resources.create(f.owner, "One more", "https://more.example.com", List.of("read"),
                ResourceFixture.ORIGIN), ErrorCode.CONFLICT, null, "TOO_MANY_RESOURCES");
        assertThat(f.resources.list(f.owner)).hasSize(ManageResources.MAX_RESOURCES);
        assertThat(f.audit.events()).hasSize(events);
    }

    @Test
    void createNormalizesTheAudienceKeepsScopeOrderAndAudits() {
        Resource resource = f.resources.create(f.owner, " Models API ", "HTTPS://API.Example.com:443/v1",
                List.of("write", "read"), ResourceFixture.ORIGIN);

        assertThat(resource.audience()).isEqualTo("https://api.example.com/v1");
        assertThat(resource.name()).isEqualTo("Models API");
        assertThat(resource.scopes()).containsExactly("write", "read");
        assertThat(f.resources.show(f.owner, resource.resourceId())).isEqualTo(resource);
        assertThat(f.resources.list(f.owner)).containsExactly(resource);
        AuditEvent event = f.audit.last().orElseThrow();
        assertThat(event.action()).isEqualTo("resource.created");
        assertThat(event.target().orElseThrow().id()).isEqualTo(resource.resourceId());
        assertThat(event.details()).containsExactly(Map.entry("scope_count", "2"));
        assertThat(f.resourceStore.organizationVersion(f.organizationId)).isEqualTo(1);
    }

    @Test
    void createWhenAudienceTakenByAnyOrganizationThenConflict() {
        create("https://api.example.com", "read");
        OrgAccess other = new OrgAccess(f.ids.next(IdPrefix.ORGANIZATION), new Caller.User(f.ownerId, "ses_x"),
                Role.OWNER.permissions());

        assertError(() -> f.resources.create(other, "Mine", "https://API.example.com", List.of(),
                ResourceFixture.ORIGIN), ErrorCode.CONFLICT, null, "AUDIENCE_TAKEN");
        assertThat(f.audit.events()).hasSize(1);
    }

    @Test
    void createWhenTheAudienceIsLatchkeysOwnThenRefusedAndNothingWritten() {
        for (String audience : List.of("https://id.latchkey.test", "https://ID.latchkey.test:443/",
                "https://id.latchkey.test/v1/orgs/" + f.organizationId,
                "https://id.latchkey.test/.well-known/jwks.json",
                "https://id.latchkey.test/x/%2e%2e/oauth/token")) {
            assertError(() -> create(audience, "read"), ErrorCode.VALIDATION_ERROR, "audience", "RESERVED_AUDIENCE");
        }
        assertThat(f.resources.list(f.owner)).isEmpty();
        assertThat(f.audit.events()).isEmpty();
    }

    @Test
    void createWhenAnotherOrganizationDeletedItsResourceThenTheAudienceStaysTaken() {
        Resource resource = create("https://api.example.com", "read");
        f.resources.delete(f.owner, resource.resourceId(), ResourceFixture.ORIGIN);
        OrgAccess other = new OrgAccess(f.ids.next(IdPrefix.ORGANIZATION), new Caller.User(f.ownerId, "ses_x"),
                Role.OWNER.permissions());

        assertError(() -> f.resources.create(other, "Mine", "https://api.example.com", List.of(),
                ResourceFixture.ORIGIN), ErrorCode.CONFLICT, null, "AUDIENCE_TAKEN");
        assertThat(f.resourceStore.tombstone("https://api.example.com")).contains(f.organizationId);
        assertThatThrownBy(() -> f.granted.forApiKey("https://api.example.com", f.organizationId, java.util.Set.of()))
                .isInstanceOf(InvalidTargetException.class);
        Resource again = create("https://api.example.com", "read");
        assertThat(again.organizationId()).isEqualTo(f.organizationId);
    }

    @Test
    void createRefusesBadScopes() {
        assertError(() -> create("https://a.example.com", "read", "org:read"), ErrorCode.VALIDATION_ERROR,
                "scopes[1]", "RESERVED");
        assertError(() -> create("https://a.example.com", "lk_abc"), ErrorCode.VALIDATION_ERROR, "scopes[0]",
                "INVALID_FORMAT");
        assertError(() -> create("https://a.example.com", "Read"), ErrorCode.VALIDATION_ERROR, "scopes[0]",
                "INVALID_FORMAT");
        assertError(() -> create("https://a.example.com", "read", "read"), ErrorCode.VALIDATION_ERROR, "scopes[1]",
                "DUPLICATE");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= ResourceScopes.MAX_SCOPES; i++) {
            many.add("s" + i);
        }
        assertError(() -> f.resources.create(f.owner, "API", "https://a.example.com", many, ResourceFixture.ORIGIN),
                ErrorCode.VALIDATION_ERROR, "scopes", "TOO_MANY");
        assertError(() -> f.resources.create(f.owner, "API", "http://a.example.com", List.of(),
                ResourceFixture.ORIGIN), ErrorCode.VALIDATION_ERROR, "audience", "SCHEME");
        assertError(() -> f.resources.create(f.owner, "", "https://a.example.com", List.of(),
                ResourceFixture.ORIGIN), ErrorCode.VALIDATION_ERROR, "name", "REQUIRED");
        assertThat(f.audit.events()).isEmpty();
    }

    @Test
    void fullFlowUserGetsDirectAndTeamScopesTeamOnlyMemberTheTeamsViewerNothing() {
        Resource resource = create("https://api.example.com", "read", "write");
        Team team = f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);
        String alice = f.member(Role.MEMBER);
        String bob = f.member(Role.MEMBER);
        String viewer = f.member(Role.VIEWER);
        f.teams.addMember(f.owner, team.teamId(), alice, ResourceFixture.ORIGIN);
        f.teams.addMember(f.owner, team.teamId(), bob, ResourceFixture.ORIGIN);

        Grant toTeam = f.grants.set(f.owner, resource.resourceId(), team.teamId(), List.of("read"),
                ResourceFixture.ORIGIN);
        f.grants.set(f.owner, resource.resourceId(), alice, List.of("write"), ResourceFixture.ORIGIN);

        assertThat(toTeam.granteeType()).isEqualTo(GranteeType.TEAM);
        assertThat(f.granted.forUser(resource.audience(), alice, List.of()).scopes()).containsExactly("read", "write");
        assertThat(f.granted.forUser(resource.audience(), bob, List.of()).scopes()).containsExactly("read");
        assertThat(f.granted.forUser(resource.audience(), viewer, List.of()).scopes()).isEmpty();
        assertThat(f.grants.list(f.owner, resource.resourceId())).hasSize(2);
        assertThat(f.audit.events("grant.set")).hasSize(2).allSatisfy(e -> assertThat(e.details())
                .containsKeys("grantee_id", "grantee_type", "scope_count"));
    }

    @Test
    void setReplacesScopesInTheResourcesOrderAndSameScopesWriteNothing() {
        Resource resource = create("https://api.example.com", "read", "write", "admin");
        String alice = f.member(Role.MEMBER);
        f.grants.set(f.owner, resource.resourceId(), alice, List.of("read"), ResourceFixture.ORIGIN);

        Grant grant = f.grants.set(f.owner, resource.resourceId(), alice, List.of("admin", "write"),
                ResourceFixture.ORIGIN);
        f.grants.set(f.owner, resource.resourceId(), alice, List.of("write", "admin"), ResourceFixture.ORIGIN);

        assertThat(grant.scopes()).containsExactly("write", "admin");
        assertThat(f.grants.list(f.owner, resource.resourceId())).containsExactly(grant);
        assertThat(f.audit.events("grant.set")).hasSize(2);
    }

    @Test
    void setRefusesEmptyUnknownAndDuplicateScopesAndBadGrantees() {
        Resource resource = create("https://api.example.com", "read");
        String alice = f.member(Role.MEMBER);
        String id = resource.resourceId();

        assertError(() -> f.grants.set(f.owner, id, alice, List.of(), ResourceFixture.ORIGIN),
                ErrorCode.VALIDATION_ERROR, "scopes", "REQUIRED");
        assertError(() -> f.grants.set(f.owner, id, alice, List.of("write"), ResourceFixture.ORIGIN),
                ErrorCode.VALIDATION_ERROR, "scopes[0]", "UNKNOWN_SCOPE");
        assertError(() -> f.grants.set(f.owner, id, alice, List.of("read", "read"), ResourceFixture.ORIGIN),
                ErrorCode.VALIDATION_ERROR, "scopes[1]", "DUPLICATE");
        assertError(() -> f.grants.set(f.owner, id, "key_abc", List.of("read"), ResourceFixture.ORIGIN),
                ErrorCode.NOT_FOUND, null, null);
        assertError(() -> f.grants.set(f.owner, id, f.ids.next(IdPrefix.USER), List.of("read"),
                ResourceFixture.ORIGIN), ErrorCode.NOT_FOUND, null, null);
        assertError(() -> f.grants.set(f.owner, id, f.ids.next(IdPrefix.TEAM), List.of("read"),
                ResourceFixture.ORIGIN), ErrorCode.NOT_FOUND, null, null);
        assertError(() -> f.grants.set(f.owner, id, f.ids.next(IdPrefix.CLIENT), List.of("read"),
                ResourceFixture.ORIGIN), ErrorCode.NOT_FOUND, null, null);
        assertThat(f.audit.events()).hasSize(1);
    }

    @Test
    void clientGranteeMustBeAClientOfTheOrganization() {
        Resource resource = create("https://api.example.com", "read");
        String clientId = f.ids.next(IdPrefix.CLIENT);
        String foreign = f.ids.next(IdPrefix.CLIENT);
        f.resourceStore.putClient(f.organizationId, clientId).putClient(f.ids.next(IdPrefix.ORGANIZATION), foreign);

        Grant grant = f.grants.set(f.owner, resource.resourceId(), clientId, List.of("read"),
                ResourceFixture.ORIGIN);

        assertThat(grant.granteeType()).isEqualTo(GranteeType.CLIENT);
        assertError(() -> f.grants.set(f.owner, resource.resourceId(), foreign, List.of("read"),
                ResourceFixture.ORIGIN), ErrorCode.NOT_FOUND, null, null);
    }

    @Test
    void removingAScopeRemovesItFromEveryGrantAndDeletesEmptiedGrants() {
        Resource resource = create("https://api.example.com", "read", "write");
        String alice = f.member(Role.MEMBER);
        String bob = f.member(Role.MEMBER);
        f.grants.set(f.owner, resource.resourceId(), alice, List.of("read", "write"), ResourceFixture.ORIGIN);
        f.grants.set(f.owner, resource.resourceId(), bob, List.of("write"), ResourceFixture.ORIGIN);

        Resource updated = f.resources.update(f.owner, resource.resourceId(), Optional.of("Renamed"),
                Optional.of(List.of("read", "delete")), ResourceFixture.ORIGIN);

        assertThat(updated.scopes()).containsExactly("read", "delete");
        assertThat(updated.audience()).isEqualTo(resource.audience());
        assertThat(f.grants.list(f.owner, resource.resourceId())).singleElement()
                .satisfies(g -> {
                    assertThat(g.granteeId()).isEqualTo(alice);
                    assertThat(g.scopes()).containsExactly("read");
                });
        assertThat(f.granted.forUser(resource.audience(), bob, List.of()).scopes()).isEmpty();
        assertThat(f.audit.last().orElseThrow().details()).containsEntry("scopes_removed", "1")
                .containsEntry("scopes_added", "1").containsEntry("grants_changed", "1")
                .containsEntry("grants_removed", "1").containsEntry("renamed", "true");
        int events = f.audit.events().size();
        f.resources.update(f.owner, resource.resourceId(), Optional.empty(), Optional.empty(), ResourceFixture.ORIGIN);
        assertThat(f.audit.events()).hasSize(events);
    }

    @Test
    void updateWhenAGrantWasWrittenMeanwhileThenConflict() {
        Resource resource = create("https://api.example.com", "read");
        StoredResource seen = f.resourceStore.find(f.organizationId, resource.resourceId()).orElseThrow();
        f.grants.set(f.owner, resource.resourceId(), f.member(Role.MEMBER), List.of("read"), ResourceFixture.ORIGIN);

        assertError(() -> f.resourceStore.update(seen, resource, List.of(), List.of(), f.audit.last().orElseThrow()),
                ErrorCode.CONFLICT, null, "CONCURRENT_CHANGE");
    }

    @Test
    void deleteRemovesGrantsAndKeepsTheAudienceForTheOrganization() {
        Resource resource = create("https://api.example.com", "read");
        String alice = f.member(Role.MEMBER);
        f.grants.set(f.owner, resource.resourceId(), alice, List.of("read"), ResourceFixture.ORIGIN);

        f.resources.delete(f.owner, resource.resourceId(), ResourceFixture.ORIGIN);

        assertError(() -> f.resources.show(f.owner, resource.resourceId()), ErrorCode.NOT_FOUND, null, null);
        assertThat(f.resourceStore.grants(f.organizationId, resource.resourceId())).isEmpty();
        assertThatThrownBy(() -> f.granted.forUser(resource.audience(), alice, List.of()))
                .isInstanceOf(InvalidTargetException.class);
        assertThat(f.audit.last().orElseThrow().details()).containsEntry("grants_removed", "1");
        create("https://api.example.com", "read");
    }

    @Test
    void removeGrantThenGoneAndAuditedElseNotFound() {
        Resource resource = create("https://api.example.com", "read");
        String alice = f.member(Role.MEMBER);
        f.grants.set(f.owner, resource.resourceId(), alice, List.of("read"), ResourceFixture.ORIGIN);

        f.grants.remove(f.owner, resource.resourceId(), alice, ResourceFixture.ORIGIN);

        assertThat(f.grants.list(f.owner, resource.resourceId())).isEmpty();
        assertThat(f.audit.events("grant.removed")).hasSize(1);
        assertError(() -> f.grants.remove(f.owner, resource.resourceId(), alice, ResourceFixture.ORIGIN),
                ErrorCode.NOT_FOUND, null, null);
    }

    @Test
    void tooManyGrantsThenConflict() {
        Resource resource = create("https://api.example.com", "read");
        for (int i = 0; i < ManageGrants.MAX_GRANTS_PER_RESOURCE; i++) {
            f.grants.set(f.owner, resource.resourceId(), f.member(Role.VIEWER), List.of("read"),
                    ResourceFixture.ORIGIN);
        }

        assertError(() -> f.grants.set(f.owner, resource.resourceId(), f.member(Role.VIEWER), List.of("read"),
                ResourceFixture.ORIGIN), ErrorCode.CONFLICT, null, "TOO_MANY_GRANTS");
    }

    @Test
    void anotherOrganizationsResourceIsNotFound() {
        Resource resource = create("https://api.example.com", "read");
        OrgAccess other = new OrgAccess(f.ids.next(IdPrefix.ORGANIZATION), new Caller.User(f.ownerId, "ses_x"),
                Role.OWNER.permissions());

        assertError(() -> f.resources.show(other, resource.resourceId()), ErrorCode.NOT_FOUND, null, null);
        assertError(() -> f.grants.list(other, resource.resourceId()), ErrorCode.NOT_FOUND, null, null);
        assertError(() -> f.resources.delete(other, resource.resourceId(), ResourceFixture.ORIGIN),
                ErrorCode.NOT_FOUND, null, null);
        assertError(() -> f.resources.show(f.owner, "res_nope"), ErrorCode.NOT_FOUND, null, null);
        assertThat(f.resources.list(other)).isEmpty();
    }
}
