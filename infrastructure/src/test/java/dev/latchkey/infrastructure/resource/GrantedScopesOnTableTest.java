package dev.latchkey.infrastructure.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.resource.Grant;
import dev.latchkey.core.resource.GranteeType;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.TokenAudiences;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.access.DynamoDbMembershipDirectory;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.team.DynamoDbTeamRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link dev.latchkey.core.resource.GrantedScopes} over the real adapters and key design: what a token request
 * resolves, and how many requests it costs.
 */
class GrantedScopesOnTableTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();

    private static EmulatedTable emulated;
    private static DynamoDbClient counting;
    private static TokenAudiences audiences;

    private final SortableIdGenerator ids = new SortableIdGenerator(new MutableClock(T0), new SecureRandom());

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        counting = emulated.countingClient(REQUESTS);
        DynamoDbAuditLog audit = new DynamoDbAuditLog(counting, EmulatedTable.TABLE, new MutableClock(T0));
        audiences = new dev.latchkey.core.resource.GrantedScopes(
                new DynamoDbResourceRepository(counting, EmulatedTable.TABLE, audit),
                new DynamoDbMembershipDirectory(counting, EmulatedTable.TABLE),
                new DynamoDbTeamRepository(counting, EmulatedTable.TABLE, audit),
                new dev.latchkey.core.access.OrganizationMfaPolicy(userId -> false));
    }

    @AfterAll
    static void stop() {
        counting.close();
        emulated.close();
    }

    private static void put(Map<String, AttributeValue> item) {
        emulated.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(item));
    }

    private static void delete(String pk, String sk) {
        emulated.client().deleteItem(d -> d.tableName(EmulatedTable.TABLE).key(Map.of(LatchkeyTable.PK,
                AttributeValue.fromS(pk), LatchkeyTable.SK, AttributeValue.fromS(sk))));
    }

    private static void member(String orgId, String userId, String role) {
        put(Map.of(LatchkeyTable.PK, AttributeValue.fromS("ORG#" + orgId), LatchkeyTable.SK,
                AttributeValue.fromS("MEMBER#" + userId), "role", AttributeValue.fromS(role)));
    }

    private static void teamMember(String orgId, String teamId, String userId) {
        put(Map.of(LatchkeyTable.PK, AttributeValue.fromS("ORG#" + orgId), LatchkeyTable.SK,
                AttributeValue.fromS("TEAMMEMBER#" + userId + "#" + teamId), "teamId", AttributeValue.fromS(teamId),
                "userId", AttributeValue.fromS(userId)));
    }

    private Resource resource(String orgId, String audience) {
        Resource resource = new Resource(ids.next(IdPrefix.RESOURCE), orgId, audience, "API",
                List.of("read", "write"), T0, "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0");
        Map<String, AttributeValue> claim = new HashMap<>(ResourceItems.resourceAttributes(resource));
        claim.putAll(ResourceItems.audienceKey(resource.audience()));
        put(claim);
        return resource;
    }

    private static void grant(Resource resource, String granteeId, GranteeType type, String... scopes) {
        put(ResourceItems.grantItem(new Grant(resource.organizationId(), resource.resourceId(), granteeId, type,
                List.of(scopes), T0, "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0")));
    }

    @Test
    void userGetsDirectAndTeamScopesInFourConsistentReads() {
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        String user = ids.next(IdPrefix.USER);
        String teamOnly = ids.next(IdPrefix.USER);
        String teamId = ids.next(IdPrefix.TEAM);
        Resource resource = resource(orgId, "https://four-reads.example.com");
        member(orgId, user, "member");
        member(orgId, teamOnly, "viewer");
        teamMember(orgId, teamId, user);
        teamMember(orgId, teamId, teamOnly);
        grant(resource, teamId, GranteeType.TEAM, "read");
        grant(resource, user, GranteeType.USER, "write");
        REQUESTS.clear();

        assertThat(audiences.forUser("https://four-reads.example.com", user, List.of()).scopes())
                .containsExactly("read", "write");

        assertThat(REQUESTS.get("GetItem").get()).as("the audience claim").isEqualTo(1);
        assertThat(REQUESTS.get("BatchGetItem").get()).as("membership with require_mfa").isEqualTo(1);
        assertThat(REQUESTS.get("Query").get()).isEqualTo(2);
        assertThat(REQUESTS).containsOnlyKeys("GetItem", "BatchGetItem", "Query");
        assertThat(audiences.forUser("https://four-reads.example.com", teamOnly, List.of()).scopes())
                .containsExactly("read");
    }

    @Test
    void grantToARemovedMemberIsNotResolved() {
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        String user = ids.next(IdPrefix.USER);
        Resource resource = resource(orgId, "https://removed.example.com");
        member(orgId, user, "member");
        grant(resource, user, GranteeType.USER, "read");
        assertThat(audiences.forUser(resource.audience(), user, List.of()).scopes())
                .containsExactly("read");

        delete("ORG#" + orgId, "MEMBER#" + user);

        assertThatThrownBy(() -> audiences.forUser(resource.audience(), user, List.of()))
                .isInstanceOf(InvalidTargetException.class);
    }

    @Test
    void clientAndApiKeyResolveWithinTheirOrganizationOnly() {
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        String clientId = ids.next(IdPrefix.CLIENT);
        Resource resource = resource(orgId, "https://clients.example.com");
        grant(resource, clientId, GranteeType.CLIENT, "write");
        REQUESTS.clear();

        assertThat(audiences.forClient(resource.audience(), orgId, clientId, List.of(resource.resourceId())).scopes())
                .containsExactly("write");
        assertThat(REQUESTS.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(2);
        assertThat(audiences.forApiKey(resource.audience(), orgId, Set.of("read")).scopes()).containsExactly("read");
        assertThatThrownBy(() -> audiences.forApiKey(resource.audience(), ids.next(IdPrefix.ORGANIZATION),
                Set.of("read"))).isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> audiences.forUser("https://nobody.example.com", ids.next(IdPrefix.USER), List.of()))
                .isInstanceOf(InvalidTargetException.class);
    }
}
