package dev.latchkey.infrastructure.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.InMemoryKeyRingRepository;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.resource.GrantedScopes;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.ManageGrants;
import dev.latchkey.core.resource.ManageResources;
import dev.latchkey.core.resource.ReservedAudiences;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.session.RefreshSession;
import dev.latchkey.core.session.RefreshTarget;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.team.ManageTeams;
import dev.latchkey.core.team.Team;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.InMemoryKeyVault;
import dev.latchkey.core.vault.InMemoryPeppers;
import dev.latchkey.infrastructure.access.DynamoDbMembershipDirectory;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.resource.DynamoDbResourceRepository;
import dev.latchkey.infrastructure.team.DynamoDbTeamRepository;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB requests of a refresh with a resource (RFC 8707), counted on a real SDK client against the emulated
 * table with the real adapters (docs/data-model.md, the "refresh with resource/audience" rows; the endpoint adds one
 * {@code UpdateItem} for its rate counter). Signing keys and the pepper are in memory: both are per container.
 */
class RefreshWithResourceRequestCountTest {

    private static final String API = "https://api.example.com";
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-setup");
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();

    private static EmulatedTable emulated;
    private static DynamoDbClient counting;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final SecureRandom random = new SecureRandom();
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    private final SessionPolicy policy = SessionPolicy.defaults();
    private final InMemoryKeyRingRepository ring = new InMemoryKeyRingRepository();
    private final InMemoryKeyVault vault = new InMemoryKeyVault();
    private final CurrentKeys keys = new CurrentKeys(ring, vault, KeyPolicy.defaults(), clock, Duration.ofMinutes(5));
    private final SessionTokens tokens = new SessionTokens(keys, () -> "https://id.example.com", policy, clock,
            random);
    private final RefreshTokenCrypto crypto = new RefreshTokenCrypto(new InMemoryPeppers(), random);

    private RefreshSession refresh;
    private StartSession start;
    private Person member;
    private Person outsider;
    private final String audience;

    @BeforeAll
    static void startEmulator() {
        emulated = EmulatedTable.start();
        counting = emulated.countingClient(REQUESTS);
    }

    @AfterAll
    static void stopEmulator() {
        emulated.close();
    }

    RefreshWithResourceRequestCountTest() {
        new RotateSigningKeys(ring, vault, KeyPolicy.defaults(), new InMemoryAuditLog(clock), ids, clock, random)
                .run("setup");
        Accounts accounts = Accounts.in(emulated);
        Person owner = accounts.person("owner." + ids.next(IdPrefix.USER).toLowerCase() + "@example.com", true);
        member = accounts.person("member." + ids.next(IdPrefix.USER).toLowerCase() + "@example.com", true);
        outsider = accounts.person("outsider." + ids.next(IdPrefix.USER).toLowerCase() + "@example.com", true);
        String orgId = owner.personalOrganizationId();
        accounts.join(member, orgId, Role.MEMBER);

        DynamoDbAuditLog plainAudit = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE, clock);
        DynamoDbResourceRepository resources = new DynamoDbResourceRepository(emulated.client(), EmulatedTable.TABLE,
                plainAudit);
        OrgAccess access = new OrgAccess(orgId, new Caller.User(owner.userId(), ids.next(IdPrefix.SESSION)),
                Role.OWNER.permissions());
        String audience = API + "/" + ids.next(IdPrefix.RESOURCE).toLowerCase();
        Resource resource = new ManageResources(resources,
                ReservedAudiences.forIssuer(URI.create("https://id.latchkey.test")), ids, clock)
                .create(access, "API", audience, List.of("read", "write"), ORIGIN);
        ManageTeams teams = new ManageTeams(new DynamoDbTeamRepository(emulated.client(), EmulatedTable.TABLE,
                plainAudit), ids, clock);
        Team team = teams.create(access, "backend", ORIGIN);
        teams.addMember(access, team.teamId(), member.userId(), ORIGIN);
        ManageGrants grants = new ManageGrants(resources, ids, clock);
        grants.set(access, resource.resourceId(), member.userId(), List.of("write"), ORIGIN);
        grants.set(access, resource.resourceId(), team.teamId(), List.of("read"), ORIGIN);
        this.audience = audience;

        DynamoDbAuditLog audit = new DynamoDbAuditLog(counting, EmulatedTable.TABLE, clock);
        DynamoDbSessionRepository sessions = new DynamoDbSessionRepository(counting, EmulatedTable.TABLE);
        GrantedScopes granted = new GrantedScopes(new DynamoDbResourceRepository(counting, EmulatedTable.TABLE, audit),
                new DynamoDbMembershipDirectory(counting, EmulatedTable.TABLE),
                new DynamoDbTeamRepository(counting, EmulatedTable.TABLE, audit),
                new dev.latchkey.core.access.OrganizationMfaPolicy(userId -> false));
        refresh = new RefreshSession(sessions, new DynamoDbUserProfiles(counting, EmulatedTable.TABLE), crypto, tokens,
                policy, granted, audit, ids, clock, random);
        start = new StartSession(sessions, crypto, tokens, policy, audit, ids, clock, random);
    }

    private TokenResponse login(Person person) {
        return start.start(new StartSessionCommand(new UserProfile(person.userId(), "p@example.com", "P"),
                person.personalOrganizationId(), List.of("pwd"), "203.0.113.10", "req-login"));
    }

    private static Map<String, Integer> counted(Runnable call) {
        REQUESTS.clear();
        call.run();
        Map<String, Integer> counts = new TreeMap<>();
        REQUESTS.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    private TokenResponse refresh(String token, RefreshTarget target) {
        return refresh.refresh(token, Optional.of(target), "203.0.113.10", "req-refresh");
    }

    @Test
    void refreshWithResourceCostsTheRefreshPlusFourConsistentReads() {
        TokenResponse login = login(member);
        TokenResponse[] rotated = new TokenResponse[1];

        assertThat(counted(() -> rotated[0] = refresh(login.refreshToken(), RefreshTarget.of(audience))))
                .as("token, session, audience claim, user; membership with the organization's require_mfa; teams, "
                        + "grants; rotation; audit")
                .isEqualTo(Map.of("GetItem", 4, "BatchGetItem", 1, "Query", 2, "TransactWriteItems", 1, "PutItem", 1));
        assertThat(rotated[0].scope()).contains("read write");

        assertThat(counted(() -> refresh(login.refreshToken(), RefreshTarget.of(audience))))
                .as("grace replay: no write but the audit event")
                .isEqualTo(Map.of("GetItem", 4, "BatchGetItem", 1, "Query", 2, "PutItem", 1));
    }

    @Test
    void refusedTargetOrScopeReadsUpToTheRefusalAndWritesOnlyTheAuditEvent() {
        TokenResponse login = login(member);
        TokenResponse stranger = login(outsider);

        assertThat(counted(() -> assertThat(catchThrowable(() -> refresh(login.refreshToken(),
                RefreshTarget.of("https://unknown.example.com")))).isInstanceOf(InvalidTargetException.class)))
                .as("unknown audience").isEqualTo(Map.of("GetItem", 3, "PutItem", 1));
        assertThat(counted(() -> assertThat(catchThrowable(() -> refresh(stranger.refreshToken(),
                RefreshTarget.of(audience)))).isInstanceOf(InvalidTargetException.class)))
                .as("not a member").isEqualTo(Map.of("GetItem", 3, "BatchGetItem", 1, "PutItem", 1));
        assertThat(counted(() -> assertThat(catchThrowable(() -> refresh(login.refreshToken(),
                new RefreshTarget(audience, Optional.of(List.of("admin"))))))
                .isInstanceOf(InvalidScopeException.class)))
                .as("scope beyond the grant")
                .isEqualTo(Map.of("GetItem", 3, "BatchGetItem", 1, "Query", 2, "PutItem", 1));

        assertThat(refresh(login.refreshToken(), RefreshTarget.of(audience)).scope()).as("still unspent")
                .contains("read write");
    }
}
