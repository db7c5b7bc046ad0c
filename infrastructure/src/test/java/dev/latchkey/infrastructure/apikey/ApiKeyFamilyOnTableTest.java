package dev.latchkey.infrastructure.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyCache;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.ApiKeyRepository;
import dev.latchkey.core.apikey.ApiKeyUsage;
import dev.latchkey.core.apikey.CreateApiKeyCommand;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.apikey.ManageApiKeys;
import dev.latchkey.core.apikey.VerificationFailure;
import dev.latchkey.core.apikey.VerifyApiKey;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.principal.SensitiveOperations;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.ratelimit.DynamoDbRateLimiter;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Keys made by keys on the emulated table with the real key design and the real use cases (issue 11 §3,
 * docs/api-keys.md "Keys made by keys"): the chain and descendant items, the family's revocation in one
 * transaction (several for a family over {@link ApiKeyRepository#ATOMIC_CHANGES}), a child made while its maker's
 * family is revoked, and the DynamoDB requests each step costs (counted on a real SDK client).
 */
class ApiKeyFamilyOnTableTest {

    /** The step-up is not this test's subject (see the core use-case tests): the table is. */
    private static final SensitiveOperations NO_STEP_UP = user -> { };

    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.9", "req-1");
    private static EmulatedTable emulated;
    private static DynamoDbClient counting;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final SecureRandom random = new SecureRandom();
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    private DynamoDbApiKeyRepository keys;
    private DynamoDbAuditLog audit;
    private ApiKeyHasher hasher;
    private ManageApiKeys manage;
    private VerifyApiKey verify;
    private OrgAccess owner;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        counting = emulated.countingClient(REQUESTS);
    }

    @AfterAll
    static void stop() {
        counting.close();
        emulated.close();
    }

    @BeforeEach
    void setUp() {
        audit = new DynamoDbAuditLog(counting, EmulatedTable.TABLE, clock);
        keys = new DynamoDbApiKeyRepository(counting, EmulatedTable.TABLE, audit);
        hasher = new ApiKeyHasher(new DynamoDbPeppers(counting, EmulatedTable.TABLE,
                LocalKeyVault.fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", random), random, clock));
        manage = new ManageApiKeys(keys, hasher, ApiKeyCache.disabled(clock), ids, random, clock, NO_STEP_UP);
        verify = new VerifyApiKey(keys, hasher, new DynamoDbRateLimiter(counting, EmulatedTable.TABLE, clock),
                new ApiKeyUsage(keys, clock, ApiKeyUsage.DEFAULT_INTERVAL), ApiKeyCache.disabled(clock), clock);
        String organizationId = ids.next(IdPrefix.ORGANIZATION);
        emulated.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + organizationId),
                LatchkeyTable.SK, AttributeValue.fromS("ORG"))));
        owner = new OrgAccess(organizationId, new Caller.User(ids.next(IdPrefix.USER), ids.next(IdPrefix.SESSION)),
                Role.OWNER.permissions());
    }

    private static CreateApiKeyCommand command(Optional<RateLimit> limit) {
        return new CreateApiKeyCommand("worker", List.of(Permissions.API_KEY_CREATE, "run_inference"),
                Optional.empty(), Optional.empty(), limit);
    }

    private OrgAccess as(CreatedApiKey key) {
        ApiKey stored = keys.find(key.key().id()).orElseThrow();
        Set<String> held = Set.copyOf(stored.permissions());
        return new OrgAccess(stored.organizationId(), new Caller.ApiKey(stored.id(), stored.organizationId(), held,
                stored.expiresAt(), stored.rateLimit()), held);
    }

    private CreatedApiKey makeBy(OrgAccess maker, Optional<RateLimit> limit) {
        return manage.create(maker, command(limit), ORIGIN);
    }

    private List<CreatedApiKey> family(Optional<RateLimit> limit) {
        CreatedApiKey parent = makeBy(owner, limit);
        CreatedApiKey child = makeBy(as(parent), Optional.empty());
        CreatedApiKey grandchild = makeBy(as(child), Optional.empty());
        return List.of(parent, child, grandchild);
    }

    private Optional<VerificationFailure> failure(CreatedApiKey key) {
        return verify.verify(key.token().value(), Optional.empty()).failure();
    }

    private static Optional<Map<String, AttributeValue>> raw(String pk, String sk) {
        Map<String, AttributeValue> item = emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE)
                .consistentRead(true).key(Map.of(LatchkeyTable.PK, AttributeValue.fromS(pk), LatchkeyTable.SK,
                        AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private List<AuditEvent> events(String action) {
        return audit.find(owner.organizationId(), AuditQuery.builder().limit(AuditQuery.MAX_LIMIT).build()).events()
                .stream()
                .filter(e -> e.action().equals(action)).toList();
    }

    /** Runs the call and answers the requests it made, by operation. */
    private Map<String, Integer> requests(Runnable call) {
        REQUESTS.clear();
        call.run();
        Map<String, Integer> counts = new TreeMap<>();
        REQUESTS.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    @Test
    void createWhenMadeByKeysThenChainOnTheItemDescendantItemsInTheFamilyPartitionAndMakerVersionBumped() {
        List<CreatedApiKey> family = family(Optional.of(RateLimit.perSeconds(100, 60)));
        String parent = family.get(0).key().id();
        String child = family.get(1).key().id();
        String grandchild = family.get(2).key().id();

        Map<String, AttributeValue> item = raw("APIKEY#" + grandchild, "APIKEY").orElseThrow();
        assertThat(item.get("ancestors").l()).hasSize(2);
        assertThat(item.get("ancestors").l().get(0).m().get("keyId").s()).isEqualTo(parent);
        assertThat(item.get("ancestors").l().get(0).m().get("rateLimitLimit").n()).isEqualTo("100");
        assertThat(item.get("ancestors").l().get(1).m().get("keyId").s()).isEqualTo(child);
        assertThat(raw("APIKEY#" + parent, "DESCENDANT#" + child)).isPresent();
        assertThat(raw("APIKEY#" + parent, "DESCENDANT#" + grandchild).orElseThrow().get("ancestors").l())
                .extracting(AttributeValue::s).containsExactly(parent, child);
        assertThat(raw("APIKEY#" + parent, "APIKEY").orElseThrow()).doesNotContainKey("familyFrozen");
        assertThat(keys.find(grandchild).orElseThrow()).isEqualTo(family.get(2).key());
        assertThat(keys.descendants(keys.find(parent).orElseThrow())).extracting(ApiKey::id)
                .containsExactly(grandchild, child);
        assertThat(keys.descendants(keys.find(child).orElseThrow())).extracting(ApiKey::id)
                .containsExactly(grandchild);
    }

    @Test
    void revokeWhenTheMiddleKeyThenTheGrandchildToOneTransactionAndOneEventPerKey() {
        List<CreatedApiKey> family = family(Optional.empty());

        Map<String, Integer> counts = requests(() -> manage.revoke(owner, family.get(1).key().id(), Optional.empty(),
                ORIGIN));

        // GetItem of the key, UpdateItem freezing its family, Query of the family's partition, GetItem of the
        // grandchild, one transaction of both revocations and their events.
        assertThat(counts).isEqualTo(Map.of("GetItem", 2, "UpdateItem", 1, "Query", 1, "TransactWriteItems", 1));
        assertThat(raw("APIKEY#" + family.get(1).key().id(), "APIKEY").orElseThrow().get("familyFrozen").bool())
                .isTrue();
        assertThat(verify.verify(family.get(0).token().value(), Optional.empty()).valid()).isTrue();
        assertThat(failure(family.get(1))).contains(VerificationFailure.REVOKED);
        assertThat(failure(family.get(2))).contains(VerificationFailure.REVOKED);
        assertThat(events("api_key.revoked")).hasSize(2).anySatisfy(e -> assertThat(e.details())
                .containsEntry("cascaded_from", family.get(1).key().id()));
    }

    @Test
    void deleteWhenTheParentThenGoneWithItsMarkersAndTheFamilyRevoked() {
        List<CreatedApiKey> family = family(Optional.empty());
        String parent = family.get(0).key().id();

        manage.delete(owner, parent, ORIGIN);

        assertThat(failure(family.get(0))).contains(VerificationFailure.NOT_FOUND);
        assertThat(failure(family.get(1))).contains(VerificationFailure.REVOKED);
        assertThat(failure(family.get(2))).contains(VerificationFailure.REVOKED);
        assertThat(raw("ORG#" + owner.organizationId(), "APIKEY#" + parent)).isEmpty();
        assertThat(events("api_key.deleted")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("descendants_revoked", "2"));

        manage.delete(owner, family.get(2).key().id(), ORIGIN);
        assertThat(raw("APIKEY#" + parent, "DESCENDANT#" + family.get(2).key().id())).isEmpty();
        assertThat(raw("APIKEY#" + parent, "DESCENDANT#" + family.get(1).key().id())).isPresent();
    }

    @Test
    void revokeWhenTheFamilyIsLargerThanOneTransactionThenEveryMemberIsRevokedDescendantsFirst() {
        CreatedApiKey parent = makeBy(owner, Optional.empty());
        OrgAccess asParent = as(parent);
        List<CreatedApiKey> children = new ArrayList<>();
        for (int i = 0; i < ApiKeyRepository.ATOMIC_CHANGES + 12; i++) {
            children.add(makeBy(asParent, Optional.empty()));
        }

        Map<String, Integer> counts = requests(() -> manage.revoke(owner, parent.key().id(), Optional.empty(),
                ORIGIN));

        assertThat(counts.get("TransactWriteItems")).isEqualTo(2);
        assertThat(failure(parent)).contains(VerificationFailure.REVOKED);
        assertThat(children).allSatisfy(c -> assertThat(failure(c)).contains(VerificationFailure.REVOKED));
        assertThat(events("api_key.revoked")).hasSize(children.size() + 1);
    }

    @Test
    void createWhileTheMakersFamilyIsRevokedInParallelThenNoChildOutlivesTheRevocation() throws Exception {
        for (int round = 0; round < 5; round++) {
            CreatedApiKey parent = makeBy(owner, Optional.empty());
            CreatedApiKey child = makeBy(as(parent), Optional.empty());
            OrgAccess asChild = as(child);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<List<CreatedApiKey>> made = pool.submit(() -> {
                    go.await();
                    List<CreatedApiKey> out = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        try {
                            out.add(makeBy(asChild, Optional.empty()));
                        } catch (LatchkeyException e) {
                            assertThat(e.details()).containsEntry("reason", "MAKER_REVOKED");
                        }
                    }
                    return out;
                });
                Future<?> revoked = pool.submit(() -> {
                    go.await();
                    manage.revoke(owner, parent.key().id(), Optional.empty(), ORIGIN);
                    return null;
                });
                go.countDown();
                revoked.get();
                List<CreatedApiKey> grandchildren = made.get();
                Set<String> active = new HashSet<>();
                for (CreatedApiKey key : grandchildren) {
                    if (failure(key).isEmpty()) {
                        active.add(key.key().id());
                    }
                }
                assertThat(active).as("round %d", round).isEmpty();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void verifyWhenAGrandchildOfLimitedMakersThenOneReadAndOneCounterWritePerLimitedKey() {
        List<CreatedApiKey> limited = family(Optional.of(RateLimit.perSeconds(1000, 60)));
        List<CreatedApiKey> unlimited = family(Optional.empty());
        verify.verify(limited.get(2).token().value(), Optional.empty());
        verify.verify(unlimited.get(2).token().value(), Optional.empty());

        Map<String, Integer> withLimits = requests(() -> {
            for (int i = 0; i < 10; i++) {
                assertThat(verify.verify(limited.get(2).token().value(), Optional.empty()).valid()).isTrue();
            }
        });
        Map<String, Integer> withoutLimits = requests(() -> {
            for (int i = 0; i < 10; i++) {
                assertThat(verify.verify(unlimited.get(2).token().value(), Optional.empty()).valid()).isTrue();
            }
        });

        // The chain of makers is on the key's item: no read of a maker, one counter per limited key of the chain.
        assertThat(withLimits).isEqualTo(Map.of("GetItem", 10, "UpdateItem", 30));
        assertThat(withoutLimits).isEqualTo(Map.of("GetItem", 10));
    }

    @Test
    void createWhenMadeByAKeyThenOneReadOfTheMakerAndOneTransaction() {
        CreatedApiKey parent = makeBy(owner, Optional.empty());
        OrgAccess asParent = as(parent);

        Map<String, Integer> counts = requests(() -> makeBy(asParent, Optional.empty()));

        assertThat(counts).isEqualTo(Map.of("GetItem", 1, "TransactWriteItems", 1));
    }
}
