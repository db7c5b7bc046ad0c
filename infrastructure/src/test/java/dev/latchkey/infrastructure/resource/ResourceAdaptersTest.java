package dev.latchkey.infrastructure.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.resource.GrantedScopes;
import dev.latchkey.core.resource.ManageGrants;
import dev.latchkey.core.resource.ManageResources;
import dev.latchkey.core.resource.ReservedAudiences;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.team.ManageTeams;
import dev.latchkey.core.team.Team;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.access.DynamoDbMembershipDirectory;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.OrganizationItem;
import dev.latchkey.infrastructure.team.DynamoDbTeamRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The team and resource adapters under the real use cases, on the emulated table with the real key design. */
class ResourceAdaptersTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-1");

    private static EmulatedTable emulated;
    private static DynamoDbResourceRepository resourceStore;
    private static DynamoDbTeamRepository teamStore;
    private static DynamoDbAuditLog audit;

    private final MutableClock clock = new MutableClock(T0);
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
    private final ManageTeams teams = new ManageTeams(teamStore, ids, clock);
    private final ManageResources resources = new ManageResources(resourceStore,
            ReservedAudiences.forIssuer(URI.create("https://id.latchkey.test")), ids, clock);
    private final ManageGrants grants = new ManageGrants(resourceStore, ids, clock);
    private final GrantedScopes granted = new GrantedScopes(resourceStore,
            new DynamoDbMembershipDirectory(emulated.client(), EmulatedTable.TABLE), teamStore,
            new dev.latchkey.core.access.OrganizationMfaPolicy(userId -> false));
    private final String orgId = ids.next(IdPrefix.ORGANIZATION);
    private final String ownerId = ids.next(IdPrefix.USER);
    private final OrgAccess owner = new OrgAccess(orgId, new Caller.User(ownerId, ids.next(IdPrefix.SESSION)),
            Role.OWNER.permissions());

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        audit = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE, new MutableClock(T0));
        resourceStore = new DynamoDbResourceRepository(emulated.client(), EmulatedTable.TABLE, audit);
        teamStore = new DynamoDbTeamRepository(emulated.client(), EmulatedTable.TABLE, audit);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    ResourceAdaptersTest() {
        organization(orgId);
        member(orgId, ownerId, "owner");
    }

    private static void put(Map<String, AttributeValue> item) {
        emulated.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(item));
    }

    private static void organization(String orgId) {
        put(Map.of(LatchkeyTable.PK, AttributeValue.fromS("ORG#" + orgId), LatchkeyTable.SK,
                AttributeValue.fromS("ORG"), "name", AttributeValue.fromS("Acme")));
    }

    private static void member(String orgId, String userId, String role) {
        put(Map.of(LatchkeyTable.PK, AttributeValue.fromS("ORG#" + orgId), LatchkeyTable.SK,
                AttributeValue.fromS("MEMBER#" + userId), "role", AttributeValue.fromS(role)));
    }

    private String newMember(String role) {
        String userId = ids.next(IdPrefix.USER);
        member(orgId, userId, role);
        return userId;
    }

    private long organizationVersion() {
        Map<String, AttributeValue> item = emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE)
                .key(OrganizationItem.key(orgId)).consistentRead(true)).item();
        return item.containsKey("version") ? Long.parseLong(item.get("version").n()) : 0;
    }

    private static void assertError(Runnable call, ErrorCode code, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LatchkeyException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (reason != null) {
                assertThat(e.details()).containsEntry("reason", reason);
            }
        });
    }

    @Test
    void fullFlowResolvesDirectAndTeamGrantsAndBumpsTheOrganizationVersion() {
        Resource resource = resources.create(owner, "API", "https://flow.example.com", List.of("read", "write"),
                ORIGIN);
        Team team = teams.create(owner, "Platform", ORIGIN);
        String alice = newMember("member");
        String bob = newMember("member");
        String viewer = newMember("viewer");
        teams.addMember(owner, team.teamId(), alice, ORIGIN);
        teams.addMember(owner, team.teamId(), bob, ORIGIN);
        grants.set(owner, resource.resourceId(), team.teamId(), List.of("read"), ORIGIN);
        grants.set(owner, resource.resourceId(), alice, List.of("write"), ORIGIN);

        assertThat(granted.forUser(resource.audience(), alice, List.of()).scopes()).containsExactly("read", "write");
        assertThat(granted.forUser(resource.audience(), bob, List.of()).scopes()).containsExactly("read");
        assertThat(granted.forUser(resource.audience(), viewer, List.of()).scopes()).isEmpty();
        assertThat(resources.show(owner, resource.resourceId())).isEqualTo(resource);
        assertThat(resources.list(owner)).containsExactly(resource);
        assertThat(teams.list(owner)).extracting(Team::name).containsExactly("Platform");
        assertThat(teamStore.teamIds(orgId, alice)).containsExactly(team.teamId());
        assertThat(organizationVersion()).isEqualTo(6);
        assertThat(audit.find(orgId, dev.latchkey.core.audit.AuditQuery.builder().build()).events())
                .extracting(e -> e.action()).contains("resource.created", "team.created", "team.member_added",
                        "grant.set");
    }

    @Test
    void parallelCreatesOfOneAudienceThenOneWinsOneConflicts() throws Exception {
        String otherOrg = ids.next(IdPrefix.ORGANIZATION);
        organization(otherOrg);
        OrgAccess other = new OrgAccess(otherOrg, new Caller.User(ownerId, "ses_x"), Role.OWNER.permissions());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (OrgAccess access : List.of(owner, other)) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        resources.create(access, "API", "https://race.example.com", List.of("read"), ORIGIN);
                        return "created";
                    } catch (LatchkeyException e) {
                        return e.code() + "/" + e.details().get("reason");
                    }
                }));
            }
            go.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> result : results) {
                outcomes.add(result.get());
            }
            assertThat(outcomes).containsExactlyInAnyOrder("created", "CONFLICT/AUDIENCE_TAKEN");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void grantToARemovedMemberIsRefusedAndNoLongerResolved() {
        Resource resource = resources.create(owner, "API", "https://removed-member.example.com",
                List.of("read", "write"),
                ORIGIN);
        String alice = newMember("member");
        grants.set(owner, resource.resourceId(), alice, List.of("read"), ORIGIN);
        emulated.client().deleteItem(d -> d.tableName(EmulatedTable.TABLE).key(Map.of(LatchkeyTable.PK,
                AttributeValue.fromS("ORG#" + orgId), LatchkeyTable.SK, AttributeValue.fromS("MEMBER#" + alice))));

        assertThatThrownBy(() -> granted.forUser(resource.audience(), alice, List.of()))
                .isInstanceOf(dev.latchkey.core.resource.InvalidTargetException.class);
        assertError(() -> grants.set(owner, resource.resourceId(), alice, List.of("write"), ORIGIN),
                ErrorCode.NOT_FOUND, null);
        assertError(() -> teams.addMember(owner, teams.create(owner, "T", ORIGIN).teamId(), alice, ORIGIN),
                ErrorCode.NOT_FOUND, "NOT_AN_ORGANIZATION_MEMBER");
    }

    @Test
    void clientGranteeNeedsAClientItemOfTheOrganization() {
        Resource resource = resources.create(owner, "API", "https://client-grantee.example.com", List.of("read"),
                ORIGIN);
        String clientId = ids.next(IdPrefix.CLIENT);
        String foreign = ids.next(IdPrefix.CLIENT);
        put(Map.of(LatchkeyTable.PK, AttributeValue.fromS("CLIENT#" + clientId), LatchkeyTable.SK,
                AttributeValue.fromS("CLIENT"), "organizationId", AttributeValue.fromS(orgId)));
        put(Map.of(LatchkeyTable.PK, AttributeValue.fromS("CLIENT#" + foreign), LatchkeyTable.SK,
                AttributeValue.fromS("CLIENT"), "organizationId", AttributeValue.fromS("org_other")));

        grants.set(owner, resource.resourceId(), clientId, List.of("read"), ORIGIN);

        assertError(() -> grants.set(owner, resource.resourceId(), foreign, List.of("read"), ORIGIN),
                ErrorCode.NOT_FOUND, null);
        assertThat(grants.list(owner, resource.resourceId())).extracting(g -> g.granteeId())
                .containsExactly(clientId);
    }

    @Test
    void scopeRemovalTrimsGrantsAndDeleteKeepsTheAudienceForTheOrganization() {
        Resource resource = resources.create(owner, "API", "https://trim.example.com", List.of("read", "write"),
                ORIGIN);
        String alice = newMember("member");
        String bob = newMember("member");
        grants.set(owner, resource.resourceId(), alice, List.of("read", "write"), ORIGIN);
        grants.set(owner, resource.resourceId(), bob, List.of("write"), ORIGIN);

        resources.update(owner, resource.resourceId(), Optional.empty(), Optional.of(List.of("read")), ORIGIN);

        assertThat(grants.list(owner, resource.resourceId())).singleElement()
                .satisfies(g -> assertThat(g.scopes()).containsExactly("read"));
        assertThat(resourceStore.findByAudience(resource.audience()).orElseThrow().scopes()).containsExactly("read");
        resources.delete(owner, resource.resourceId(), ORIGIN);
        assertThat(resourceStore.grants(orgId, resource.resourceId())).isEmpty();
        assertThat(resourceStore.findByAudience(resource.audience())).isEmpty();
        resources.create(owner, "Again", "https://trim.example.com", List.of(), ORIGIN);
    }

    @Test
    void deleteLeavesATombstoneSoOnlyTheOwningOrganizationRegistersTheAudienceAgain() {
        Resource resource = resources.create(owner, "API", "https://tombstone.example.com", List.of("read"), ORIGIN);
        resources.delete(owner, resource.resourceId(), ORIGIN);

        Map<String, AttributeValue> tombstone = emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE)
                .key(Map.of(LatchkeyTable.PK, AttributeValue.fromS("AUDIENCE#https://tombstone.example.com"),
                        LatchkeyTable.SK, AttributeValue.fromS("AUDIENCE"))).consistentRead(true)).item();
        assertThat(tombstone.get("type").s()).isEqualTo("AUDIENCE_TOMBSTONE");
        assertThat(tombstone.get("orgId").s()).isEqualTo(orgId);
        assertThat(tombstone).doesNotContainKeys("name", "scopes", "resourceId");
        assertThat(resourceStore.findByAudience("https://tombstone.example.com")).isEmpty();

        String otherOrg = ids.next(IdPrefix.ORGANIZATION);
        organization(otherOrg);
        OrgAccess other = new OrgAccess(otherOrg, new Caller.User(ownerId, "ses_x"), Role.OWNER.permissions());
        assertError(() -> resources.create(other, "Mine", "https://TOMBSTONE.example.com:443", List.of(), ORIGIN),
                ErrorCode.CONFLICT, "AUDIENCE_TAKEN");
        assertThat(resources.list(other)).isEmpty();

        Resource again = resources.create(owner, "Back", "https://tombstone.example.com", List.of("read"), ORIGIN);
        assertThat(resourceStore.findByAudience("https://tombstone.example.com")).contains(again);
        assertError(() -> resources.create(other, "Mine", "https://tombstone.example.com", List.of(), ORIGIN),
                ErrorCode.CONFLICT, "AUDIENCE_TAKEN");
    }

    @Test
    void createWhenTheAudienceIsTheIssuersThenRefusedAndNoClaimWritten() {
        assertError(() -> resources.create(owner, "Sneaky", "https://id.latchkey.test/v1/orgs/" + orgId, List.of(),
                ORIGIN), ErrorCode.VALIDATION_ERROR, "RESERVED_AUDIENCE");
        assertThat(emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE)
                .key(Map.of(LatchkeyTable.PK, AttributeValue.fromS("AUDIENCE#https://id.latchkey.test/v1/orgs/"
                        + orgId), LatchkeyTable.SK, AttributeValue.fromS("AUDIENCE"))).consistentRead(true)).hasItem())
                .isFalse();
    }

    @Test
    void teamDeleteRemovesMembersNameAndGrantsAndRenameMovesTheName() {
        Resource resource = resources.create(owner, "API", "https://team-delete.example.com", List.of("read"),
                ORIGIN);
        Team team = teams.create(owner, "Ops", ORIGIN);
        assertError(() -> teams.create(owner, "OPS", ORIGIN), ErrorCode.CONFLICT, "NAME_TAKEN");
        String alice = newMember("member");
        teams.addMember(owner, team.teamId(), alice, ORIGIN);
        assertThat(teams.addMember(owner, team.teamId(), alice, ORIGIN).userId()).isEqualTo(alice);
        grants.set(owner, resource.resourceId(), team.teamId(), List.of("read"), ORIGIN);
        teams.rename(owner, team.teamId(), "Operations", ORIGIN);
        teams.create(owner, "Ops", ORIGIN);

        teams.delete(owner, team.teamId(), ORIGIN);

        assertThat(teamStore.teamIds(orgId, alice)).isEmpty();
        assertThat(grants.list(owner, resource.resourceId())).isEmpty();
        assertThat(granted.forUser(resource.audience(), alice, List.of()).scopes()).isEmpty();
        teams.create(owner, "Operations", ORIGIN);
    }
}
