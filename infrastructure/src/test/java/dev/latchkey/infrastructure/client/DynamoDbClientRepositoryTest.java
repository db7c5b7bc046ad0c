package dev.latchkey.infrastructure.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.client.ClientException;
import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientKeyFixture;
import dev.latchkey.core.client.ClientPage;
import dev.latchkey.core.client.ClientPublicKey;
import dev.latchkey.core.client.ClientPublicKeys;
import dev.latchkey.core.client.ClientQuery;
import dev.latchkey.core.client.ClientRepository;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.CreateClientCommand;
import dev.latchkey.core.client.CreatedClient;
import dev.latchkey.core.client.CreatedClientSecret;
import dev.latchkey.core.client.ManageClients;
import dev.latchkey.core.client.NewClientKey;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.client.UpdateClientCommand;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.InMemoryPeppers;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DynamoDbClientRepository} with {@link ManageClients} on the emulated table, with the real key design. */
class DynamoDbClientRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:15:30Z");

    private static EmulatedTable emulated;
    private static DynamoDbAuditLog auditLog;
    private static DynamoDbClientRepository repository;
    private static DynamoDbClient countingClient;
    private static DynamoDbClientRepository countingRepository;
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();

    private final MutableClock clock = new MutableClock(T0);
    private final SecureRandom random = new SecureRandom();
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    private final ClientSecretHasher hasher = new ClientSecretHasher(new InMemoryPeppers());
    private final ManageClients manage = new ManageClients(repository, hasher, ids, random, clock);
    private final String organizationId = ids.next(IdPrefix.ORGANIZATION);
    private final OrgAccess owner = new OrgAccess(organizationId, new Caller.User(ids.next(IdPrefix.USER),
            ids.next(IdPrefix.SESSION)), Role.OWNER.permissions());
    private final RequestOrigin origin = RequestOrigin.of("203.0.113.9", "req-1");
    private final String resourceId = ids.next(IdPrefix.RESOURCE);

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        auditLog = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE,
                Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        repository = new DynamoDbClientRepository(emulated.client(), EmulatedTable.TABLE, auditLog);
        countingClient = emulated.countingClient(REQUESTS);
        countingRepository = new DynamoDbClientRepository(countingClient, EmulatedTable.TABLE, auditLog);
    }

    @AfterAll
    static void stop() {
        countingClient.close();
        emulated.close();
    }

    @BeforeEach
    void organizationWithOneResource() {
        REQUESTS.clear();
        put(Map.of(LatchkeyTable.PK, s("ORG#" + organizationId), LatchkeyTable.SK, s("ORG"), "name", s("Acme"),
                "createdAt", s(T0.toString())));
        putResource(organizationId, resourceId);
    }

    @Test
    void createStoresClientSecretBumpsOrgVersionAndAuditsInOneTransaction() {
        CreatedClient created = manage.create(owner, new CreateClientCommand("billing", List.of(resourceId), true),
                origin);
        String clientId = created.client().clientId();

        ServiceClient found = repository.find(clientId).orElseThrow();
        assertThat(found.name()).isEqualTo("billing");
        assertThat(found.organizationId()).isEqualTo(organizationId);
        assertThat(found.allowedResources()).containsExactly(resourceId);
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.version()).isZero();
        assertThat(found.secrets()).hasSize(1);
        CreatedClientSecret secret = created.secret().orElseThrow();
        assertThat(hasher.matches(secret.value(), found.secrets().get(0).hash())).isTrue();
        assertThat(item("ORG#" + organizationId, "ORG").get("version").n()).isEqualTo("1");
        assertThat(item("ORG#" + organizationId, "CLIENT#" + clientId)).containsEntry("type", s("CLIENT_MARKER"))
                .containsEntry("clientId", s(clientId));
        Map<String, AttributeValue> client = item("CLIENT#" + clientId, "CLIENT");
        assertThat(client.get(LatchkeyTable.GSI1_PK).s()).isEqualTo("ORG#" + organizationId);
        assertThat(client.get(LatchkeyTable.GSI1_SK).s()).isEqualTo("CLIENT#2026-03-12T10:15:30.000Z#" + clientId);
        Map<String, AttributeValue> secretItem = item("CLIENT#" + clientId, "SECRET#"
                + secret.secret().secretId());
        assertThat(secretItem.toString()).doesNotContain(secret.value()).doesNotContain(secret.value().substring(5));
        assertThat(secretItem).doesNotContainKey(LatchkeyTable.TTL_ATTRIBUTE);
        List<Map<String, AttributeValue>> events = auditItems();
        assertThat(events).hasSize(1);
        assertThat(events.toString()).contains("client.created").doesNotContain(secret.value())
                .doesNotContain(HexFormat.of().formatHex(found.secrets().get(0).hash()));
    }

    @Test
    void createWithForeignResourceOrMissingOrganizationWritesNothing() {
        String foreignOrganization = ids.next(IdPrefix.ORGANIZATION);
        String foreign = ids.next(IdPrefix.RESOURCE);
        putResource(foreignOrganization, foreign);

        assertThatThrownBy(() -> manage.create(owner, new CreateClientCommand("x", List.of(resourceId, foreign),
                true), origin)).isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.details())
                        .containsEntry("reason", "UNKNOWN_RESOURCE"));
        OrgAccess gone = new OrgAccess(ids.next(IdPrefix.ORGANIZATION), owner.caller(), Role.OWNER.permissions());
        assertThatThrownBy(() -> manage.create(gone, new CreateClientCommand("x", List.of(), true), origin))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.NOT_FOUND));

        assertThat(manage.list(owner, new ClientQuery(10, Optional.empty())).clients()).isEmpty();
        assertThat(item("ORG#" + organizationId, "ORG")).doesNotContainKey("version");
        assertThat(auditItems()).isEmpty();
    }

    @Test
    void findIsExactlyOneConsistentQuery() {
        String clientId = created().clientId();
        manage.addSecret(owner, clientId, Optional.of(10), origin);
        manage.addKey(owner, clientId, new NewClientKey(Optional.of(ClientKeyFixture.jwk(ClientKeyFixture.ed25519()
                .getPublic())), Optional.empty()), origin);
        REQUESTS.clear();

        ServiceClient found = countingRepository.find(clientId).orElseThrow();

        assertThat(found.secrets()).hasSize(2);
        assertThat(found.keys()).hasSize(1);
        assertThat(REQUESTS).containsOnlyKeys("Query");
        assertThat(REQUESTS.get("Query").get()).isEqualTo(1);
        REQUESTS.clear();
        assertThat(countingRepository.find(ids.next(IdPrefix.CLIENT))).isEmpty();
        assertThat(countingRepository.find("cli_bad")).isEmpty();
        assertThat(REQUESTS.get("Query").get()).isEqualTo(1);
    }

    @Test
    void credentialsRoundTripWithRevocationsAndTtl() {
        CreatedClient created = manage.create(owner, new CreateClientCommand("c", List.of(), true), origin);
        String clientId = created.client().clientId();
        String firstId = created.secret().orElseThrow().secret().secretId();
        CreatedClientSecret second = manage.addSecret(owner, clientId, Optional.of(30), origin);
        KeyPair pair = ClientKeyFixture.p256();
        ClientPublicKey parsed = ClientPublicKeys.fromJwk(ClientKeyFixture.jwk(pair.getPublic()));
        ClientKey certificateKey = new ClientKey(ids.next(IdPrefix.CLIENT_KEY), parsed.kid(), parsed.algorithm(),
                parsed.subjectPublicKeyInfo(), T0, "usr_x", Optional.of(T0.plus(Duration.ofDays(5))), Optional.empty());
        ServiceClient before = repository.find(clientId).orElseThrow();
        repository.saveKey(before.withKey(certificateKey), certificateKey.keyId(), event());
        clock.advance(Duration.ofMinutes(1));
        manage.revokeSecret(owner, clientId, firstId, origin);
        manage.revokeKey(owner, clientId, certificateKey.keyId(), origin);

        ServiceClient found = repository.find(clientId).orElseThrow();
        assertThat(found.version()).isEqualTo(4);
        ClientSecret first = found.secret(firstId).orElseThrow();
        assertThat(first.revokedAt()).contains(T0.plus(Duration.ofMinutes(1)));
        assertThat(found.secret(second.secret().secretId()).orElseThrow().expiresAt())
                .contains(T0.plus(Duration.ofDays(30)));
        ClientKey key = found.key(certificateKey.keyId()).orElseThrow();
        assertThat(key.subjectPublicKeyInfo()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(key.kid()).isEqualTo(certificateKey.kid());
        assertThat(key.algorithm()).isEqualTo("ES256");
        assertThat(key.notAfter()).contains(T0.plus(Duration.ofDays(5)));
        assertThat(key.revokedAt()).isPresent();
        assertThat(item("CLIENT#" + clientId, "SECRET#" + firstId).get(LatchkeyTable.TTL_ATTRIBUTE).n())
                .isEqualTo(Long.toString(T0.plus(Duration.ofMinutes(1)).plus(Duration.ofDays(30)).getEpochSecond()));
        assertThat(item("CLIENT#" + clientId, "SECRET#" + second.secret().secretId())
                .get(LatchkeyTable.TTL_ATTRIBUTE).n())
                .isEqualTo(Long.toString(T0.plus(Duration.ofDays(60)).getEpochSecond()));
        assertThat(auditItems()).hasSize(5);
    }

    @Test
    void aChangeFromAStaleVersionIsRefused() {
        ServiceClient client = created();
        manage.update(owner, client.clientId(), new UpdateClientCommand(Optional.of("new"), Optional.empty()),
                origin);

        assertThatThrownBy(() -> repository.update(client.withDetails("stale", List.of()), event()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.details())
                        .containsEntry("reason", ClientRepository.CHANGED));
        assertThatThrownBy(() -> repository.delete(client, event()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.details())
                        .containsEntry("reason", ClientRepository.CHANGED));
        assertThat(repository.find(client.clientId()).orElseThrow().name()).isEqualTo("new");
    }

    @Test
    void updateChecksResourcesOfTheOrganization() {
        ServiceClient client = created();
        String other = ids.next(IdPrefix.RESOURCE);
        putResource(organizationId, other);

        manage.update(owner, client.clientId(), new UpdateClientCommand(Optional.empty(),
                Optional.of(List.of(other, resourceId))), origin);
        assertThat(repository.find(client.clientId()).orElseThrow().allowedResources())
                .containsExactly(other, resourceId);

        assertThatThrownBy(() -> manage.update(owner, client.clientId(), new UpdateClientCommand(Optional.empty(),
                Optional.of(List.of(ids.next(IdPrefix.RESOURCE)))), origin))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.details())
                        .containsEntry("reason", "UNKNOWN_RESOURCE"));
    }

    @Test
    void listPagesNewestFirstAndNeverShowsApiKeys() {
        List<String> clientIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clientIds.add(created().clientId());
            clock.advance(Duration.ofSeconds(1));
        }
        put(Map.of(LatchkeyTable.PK, s("APIKEY#key_x"), LatchkeyTable.SK, s("APIKEY"),
                LatchkeyTable.GSI1_PK, s("ORG#" + organizationId),
                LatchkeyTable.GSI1_SK, s("APIKEY#2026-03-12T10:15:40.000Z#key_x")));

        ClientPage first = manage.list(owner, new ClientQuery(2, Optional.empty()));
        assertThat(first.clients()).extracting(ServiceClient::clientId)
                .containsExactly(clientIds.get(2), clientIds.get(1));
        assertThat(first.clients()).allSatisfy(c -> assertThat(c.secrets()).isEmpty());
        ClientPage second = manage.list(owner, new ClientQuery(2, first.nextCursor()));
        assertThat(second.clients()).extracting(ServiceClient::clientId).containsExactly(clientIds.get(0));
        assertThat(second.nextCursor()).isEmpty();
        OrgAccess other = new OrgAccess(ids.next(IdPrefix.ORGANIZATION), owner.caller(), Role.OWNER.permissions());
        assertThatThrownBy(() -> manage.list(other, new ClientQuery(2, first.nextCursor())))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.details())
                        .containsEntry("field", "cursor"));
    }

    @Test
    void deleteRemovesClientCredentialsAndItsGrantsOnly() {
        ServiceClient client = created();
        manage.addKey(owner, client.clientId(), new NewClientKey(Optional.of(ClientKeyFixture.jwk(
                ClientKeyFixture.ed25519().getPublic())), Optional.empty()), origin);
        String otherResource = ids.next(IdPrefix.RESOURCE);
        putGrant(resourceId, client.clientId());
        putGrant(otherResource, client.clientId());
        String someoneElse = ids.next(IdPrefix.USER);
        putGrant(resourceId, someoneElse);

        manage.delete(owner, client.clientId(), origin);

        assertThat(repository.find(client.clientId())).isEmpty();
        assertThat(partition("CLIENT#" + client.clientId())).isEmpty();
        assertThat(item("ORG#" + organizationId, "CLIENT#" + client.clientId())).isEmpty();
        assertThat(emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE).key(Map.of(LatchkeyTable.PK,
                s("ORG#" + organizationId), LatchkeyTable.SK, s("GRANT#" + resourceId + "#" + client.clientId()))))
                .hasItem()).isFalse();
        assertThat(item("ORG#" + organizationId, "GRANT#" + resourceId + "#" + someoneElse)).isNotEmpty();
        assertThat(auditItems().toString()).contains("client.deleted");
    }

    @Test
    void aGrantLandingAfterTheDeleteReadItMakesTheDeleteReadAgainSoNoGrantOutlivesTheClient() {
        ServiceClient read = created();
        // What the resources adapter's grant put does to a client grantee: the grant, and ADD version on the client.
        putGrant(resourceId, read.clientId());
        emulated.client().updateItem(u -> u.tableName(EmulatedTable.TABLE)
                .key(DynamoDbClientRepository.clientKey(read.clientId()))
                .updateExpression("ADD #version :one").conditionExpression("#org = :org")
                .expressionAttributeNames(Map.of("#version", "version", "#org", "organizationId"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":org", s(organizationId))));

        assertThatThrownBy(() -> repository.delete(read, event()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.details())
                        .containsEntry("reason", ClientRepository.CHANGED));
        manage.delete(owner, read.clientId(), origin);

        assertThat(partition("CLIENT#" + read.clientId())).isEmpty();
        assertThat(emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(Map.of(LatchkeyTable.PK, s("ORG#" + organizationId), LatchkeyTable.SK,
                        s("GRANT#" + resourceId + "#" + read.clientId())))).hasItem()).isFalse();
    }

    @Test
    void parallelSecretAdditionsAtTheLimitNeverPassIt() throws Exception {
        String clientId = created().clientId();
        for (int i = 0; i < 3; i++) {
            manage.addSecret(owner, clientId, Optional.empty(), origin);
        }
        int parallel = 4;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < parallel; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        manage.addSecret(owner, clientId, Optional.empty(), origin);
                        return true;
                    } catch (ClientException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                        return false;
                    }
                }));
            }
            go.countDown();
            int added = 0;
            for (Future<Boolean> result : results) {
                added += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            ServiceClient found = repository.find(clientId).orElseThrow();
            assertThat(found.usableSecrets(clock.instant())).hasSizeLessThanOrEqualTo(ManageClients.MAX_USABLE_SECRETS);
            assertThat(found.secrets()).hasSize(4 + added);
            assertThat(added).isLessThanOrEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private ServiceClient created() {
        return manage.create(owner, new CreateClientCommand("client", List.of(resourceId), true), origin).client();
    }

    private AuditEvent event() {
        return AuditEvent.builder(ids, clock).organizationId(organizationId)
                .actor(owner.caller().actor()).action("client.updated").target("client", "cli_x").requestId("r")
                .build();
    }

    private void putResource(String organization, String resource) {
        put(Map.of(LatchkeyTable.PK, s("ORG#" + organization), LatchkeyTable.SK, s("RESOURCE#" + resource),
                "resourceId", s(resource)));
    }

    private void putGrant(String resource, String granteeId) {
        put(Map.of(LatchkeyTable.PK, s("ORG#" + organizationId), LatchkeyTable.SK,
                s("GRANT#" + resource + "#" + granteeId), "granteeId", s(granteeId),
                "scopes", AttributeValue.fromL(List.of(s("read")))));
    }

    private static void put(Map<String, AttributeValue> item) {
        emulated.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(item));
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        return emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(Map.of(LatchkeyTable.PK, s(pk), LatchkeyTable.SK, s(sk)))).item();
    }

    private static List<Map<String, AttributeValue>> partition(String pk) {
        return emulated.client().query(q -> q.tableName(EmulatedTable.TABLE).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk)))).items();
    }

    private List<Map<String, AttributeValue>> auditItems() {
        return partition("AUDIT#" + organizationId + "#2026-03");
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
