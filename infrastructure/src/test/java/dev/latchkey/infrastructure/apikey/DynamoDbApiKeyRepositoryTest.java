package dev.latchkey.infrastructure.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyException;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.ApiKeyPage;
import dev.latchkey.core.apikey.ApiKeyQuery;
import dev.latchkey.core.apikey.ApiKeySecrets;
import dev.latchkey.core.apikey.ApiKeyState;
import dev.latchkey.core.apikey.ApiKeyToken;
import dev.latchkey.core.apikey.Revocation;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditException;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;








import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbApiKeyRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:15:30Z");

    private static EmulatedTable emulated;
    private static DynamoDbAuditLog auditLog;
    private static DynamoDbApiKeyRepository keys;
    private static DynamoDbClient countingClient;
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();

    private final MutableClock clock = new MutableClock(T0);
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
    private final SecureRandom random = new SecureRandom();

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        auditLog = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE,
                Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        keys = new DynamoDbApiKeyRepository(emulated.client(), EmulatedTable.TABLE, auditLog);
        countingClient = emulated.countingClient(REQUESTS);
    }

    @AfterAll
    static void stop() {
        countingClient.close();
        emulated.close();
    }

    @BeforeEach
    void resetCounts() {
        REQUESTS.clear();
    }

    /** A new organization's id, with its organization item (a key is only created in an existing one). */
    private String orgId() {
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        emulated.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + orgId), LatchkeyTable.SK, AttributeValue.fromS("ORG"),
                "orgId", AttributeValue.fromS(orgId))));
        return orgId;
    }

    private static Optional<Map<String, AttributeValue>> rawItem(String pk, String sk) {
        Map<String, AttributeValue> item = emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE)
                .consistentRead(true).key(Map.of(LatchkeyTable.PK, AttributeValue.fromS(pk), LatchkeyTable.SK,
                        AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private byte[] hash() {
        byte[] hash = new byte[ApiKeyHasher.HASH_BYTES];
        random.nextBytes(hash);
        return hash;
    }

    /** A key with nothing optional. */
    private ApiKey key(String orgId, Instant createdAt, List<String> permissions) {
        return new ApiKey(ids.next(IdPrefix.API_KEY), orgId, "CI deploy", Optional.empty(), permissions, createdAt,
                "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0", Optional.empty(), Optional.empty(), Optional.empty(),
                ApiKeySecrets.of(hash()), 0, Optional.empty(), 1);
    }

    private ApiKey key(String orgId) {
        return key(orgId, T0, List.of("read_models"));
    }

    private AuditEvent event(ApiKey key, String action) {
        return AuditEvent.builder(ids, clock).organizationId(key.organizationId())
                .actor(Actor.user("usr_01HZX3K9Q4M8V2N6P7R5S3T1W0")).action(action).target("api_key", key.id())
                .requestId(ids.next(IdPrefix.REQUEST)).build();
    }

    private ApiKey create(ApiKey key) {
        keys.create(key, event(key, "api_key.created"));
        return key;
    }

    private static Map<String, AttributeValue> rawItem(String keyId) {
        return emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(DynamoDbApiKeyRepository.key(keyId))).item();
    }

    private static List<AuditEvent> auditEvents(String orgId) {
        return auditLog.find(orgId, AuditQuery.builder().build()).events();
    }

    private static List<ApiKey> allPages(DynamoDbApiKeyRepository repository, String orgId, boolean includeRevoked,
            Optional<String> permission, int limit) {
        List<ApiKey> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            ApiKeyPage page = repository.list(orgId, new ApiKeyQuery(includeRevoked, permission, limit, cursor));
            assertThat(page.keys().size()).isLessThanOrEqualTo(limit);
            all.addAll(page.keys());
            cursor = page.nextCursor();
            assertThat(++pages).as("pages").isLessThan(100);
        } while (cursor.isPresent());
        return all;
    }

    private static List<String> idsOf(List<ApiKey> list) {
        return list.stream().map(ApiKey::id).toList();
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("every field survives create and find, including sub-millisecond times")
    void createThenFindReturnsEveryField() {
        String orgId = orgId();
        String keyId = ids.next(IdPrefix.API_KEY);
        ApiKey key = new ApiKey(keyId, orgId, "Billing export", Optional.of("Nightly job, reads invoices"),
                List.of("api_key:read", "read_models", "run_inference"), T0.plusNanos(123_456_789),
                "key_01HZX3K9Q4M8V2N6P7R5S3T1W0", Optional.of(T0.plus(Duration.ofDays(90))),
                Optional.of(RateLimit.perSeconds(600, 60)),
                Optional.of(new Revocation(T0.plusSeconds(5).plusNanos(1_000), "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0",
                        Optional.of("leaked in a log"))),
                new ApiKeySecrets(hash(), Optional.of(hash()), Optional.of(T0.plus(Duration.ofHours(24)))), 42,
                Optional.of(T0.plusMillis(1500)), 7);

        create(key);

        assertThat(keys.find(keyId)).contains(key);
        Map<String, AttributeValue> item = rawItem(keyId);
        assertThat(item.get("gsi1pk").s()).isEqualTo("ORG#" + orgId);
        assertThat(item.get("gsi1sk").s()).isEqualTo("APIKEY#2026-03-12T10:15:30.123Z#" + keyId);
        assertThat(item.get("type").s()).isEqualTo("APIKEY");
        assertThat(item.get("permissions").l()).extracting(AttributeValue::s)
                .containsExactly("api_key:read", "read_models", "run_inference");
        assertThat(item.get("keyExpiresAt").s()).isEqualTo("2026-06-10T10:15:30.000000000Z");
        assertThat(item.get("rateLimitLimit").n()).isEqualTo("600");
        assertThat(item.get("rateLimitWindowSeconds").n()).isEqualTo("60");
        assertThat(item.get("previousHash").b().asByteArray()).hasSize(32);
        assertThat(item.get("useCount").n()).isEqualTo("42");
        assertThat(item.get("version").n()).isEqualTo("7");
        assertThat(item).doesNotContainKey(LatchkeyTable.TTL_ATTRIBUTE);
    }

    @Test
    @DisplayName("a key without optional fields and with no permissions round-trips, optional attributes absent")
    void minimalKeyRoundTripsWithEmptyPermissions() {
        ApiKey key = create(key(orgId(), T0, List.of()));

        assertThat(keys.find(key.id())).contains(key);
        Map<String, AttributeValue> item = rawItem(key.id());
        assertThat(item.get("permissions").l()).isEmpty();
        assertThat(item.keySet()).doesNotContain("description", "keyExpiresAt", "rateLimitLimit",
                "rateLimitWindowSeconds", "revokedAt", "revokedBy", "revokeReason", "previousHash",
                "previousExpiresAt", "lastUsedAt", LatchkeyTable.TTL_ATTRIBUTE);
    }

    @Test
    @DisplayName("an empty description or revocation reason is stored as absent")
    void emptyTextsAreNotStored() {
        ApiKey base = key(orgId());
        ApiKey key = new ApiKey(base.id(), base.organizationId(), base.name(), Optional.of(""), base.permissions(),
                base.createdAt(), base.createdBy(), base.expiresAt(), base.rateLimit(), base.revocation(),
                base.secrets(), 0, Optional.empty(), 1);
        create(key);

        assertThat(rawItem(key.id())).doesNotContainKey("description");
        assertThat(keys.find(key.id()).orElseThrow().description()).isEmpty();
    }

    @Test
    @DisplayName("create writes the marker in the organization's partition and bumps its version; delete removes it")
    void createAndDeleteKeepTheMarkerAndBumpTheOrganizationVersion() {
        String orgId = orgId();
        ApiKey key = create(key(orgId));

        assertThat(rawItem("ORG#" + orgId, "APIKEY#" + key.id())).hasValueSatisfying(marker -> {
            assertThat(marker.get("type").s()).isEqualTo("APIKEY_MARKER");
            assertThat(marker.get("keyId").s()).isEqualTo(key.id());
        });
        assertThat(rawItem("ORG#" + orgId, "ORG").orElseThrow().get("version").n()).isEqualTo("1");

        keys.delete(key, List.of(), event(key, "api_key.deleted"));

        assertThat(rawItem("ORG#" + orgId, "APIKEY#" + key.id())).isEmpty();
        assertThat(keys.find(key.id())).isEmpty();
    }

    @Test
    @DisplayName("creating a key in an organization that does not exist (or was just deleted) is NOT_FOUND, no write")
    void createWhenTheOrganizationIsAbsentThenNotFoundAndNothingWritten() {
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        ApiKey key = key(orgId);

        ApiKeyException e = catchThrowableOfType(ApiKeyException.class,
                () -> keys.create(key, event(key, "api_key.created")));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("Organization not found.");
        assertThat(keys.find(key.id())).isEmpty();
        assertThat(rawItem("ORG#" + orgId, "APIKEY#" + key.id())).isEmpty();
        assertThat(rawItem("ORG#" + orgId, "ORG")).isEmpty();
        assertThat(auditEvents(orgId)).isEmpty();
    }

    @Test
    @DisplayName("find of an unknown key is empty")
    void findWhenAbsentThenEmpty() {
        assertThat(keys.find(ids.next(IdPrefix.API_KEY))).isEmpty();
    }

    @Test
    @DisplayName("find is exactly one GetItem; an unfiltered page one Query; each change one transaction")
    void requestsPerCall() {
        DynamoDbApiKeyRepository counted = new DynamoDbApiKeyRepository(countingClient, EmulatedTable.TABLE,
                new DynamoDbAuditLog(countingClient, EmulatedTable.TABLE, Clock.systemUTC()));
        String orgId = orgId();
        ApiKey key = key(orgId);

        counted.create(key, event(key, "api_key.created"));
        assertThat(REQUESTS).containsOnlyKeys("TransactWriteItems");
        assertThat(REQUESTS.get("TransactWriteItems")).hasValue(1);

        REQUESTS.clear();
        assertThat(counted.find(key.id())).isPresent();
        assertThat(REQUESTS).containsOnlyKeys("GetItem");
        assertThat(REQUESTS.get("GetItem")).hasValue(1);

        REQUESTS.clear();
        counted.list(orgId, new ApiKeyQuery(true, Optional.empty(), 10, Optional.empty()));
        assertThat(REQUESTS).containsOnlyKeys("Query");
        assertThat(REQUESTS.get("Query")).hasValue(1);

        REQUESTS.clear();
        counted.recordUsage(key.id(), 3, T0.plusSeconds(10));
        assertThat(REQUESTS).containsOnlyKeys("UpdateItem");
        assertThat(REQUESTS.get("UpdateItem")).hasValue(1);

        REQUESTS.clear();
        counted.recordUsage(key.id(), 1, T0.plusSeconds(5));
        assertThat(REQUESTS.get("UpdateItem")).as("older lastUsedAt: a second update adds the count").hasValue(2);

        REQUESTS.clear();
        ApiKey revoked = key.revoked(new Revocation(T0, "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0", Optional.empty()));
        counted.update(revoked, event(key, "api_key.revoked"));
        assertThat(REQUESTS).containsOnlyKeys("TransactWriteItems");
        assertThat(REQUESTS.get("TransactWriteItems")).hasValue(1);

        REQUESTS.clear();
        counted.delete(revoked, List.of(), event(key, "api_key.deleted"));
        assertThat(REQUESTS).containsOnlyKeys("TransactWriteItems");
        assertThat(REQUESTS.get("TransactWriteItems")).hasValue(1);
    }

    @Test
    @DisplayName("creating an existing id is CONFLICT, never an overwrite, and writes no second audit event")
    void createTwiceThenConflictAndOneAuditEvent() {
        String orgId = orgId();
        ApiKey key = create(key(orgId));
        ApiKey other = new ApiKey(key.id(), orgId, "Impostor", Optional.empty(), List.of("api_key:delete"), T0,
                "usr_01HZX3K9Q4M8V2N6P7R5S3T1W1", Optional.empty(), Optional.empty(), Optional.empty(),
                ApiKeySecrets.of(hash()), 0, Optional.empty(), 1);

        ApiKeyException e = catchThrowableOfType(ApiKeyException.class,
                () -> keys.create(other, event(other, "api_key.created")));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(keys.find(key.id())).contains(key);
        assertThat(auditEvents(orgId)).hasSize(1);
    }

    @Test
    @DisplayName("the audit event is written with the key; an existing event cancels the key too")
    void auditEventIsPartOfTheTransaction() {
        String orgId = orgId();
        ApiKey key = key(orgId);
        AuditEvent created = event(key, "api_key.created");

        keys.create(key, created);

        assertThat(auditEvents(orgId)).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo(created.eventId());
            assertThat(e.action()).isEqualTo("api_key.created");
            assertThat(e.target()).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(key.id()));
        });

        ApiKey second = key(orgId);
        assertThatThrownBy(() -> keys.create(second, created)).isInstanceOf(AuditException.class)
                .satisfies(t -> assertThat(((AuditException) t).code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(keys.find(second.id())).isEmpty();
    }

    @Test
    @DisplayName("the stored item never holds the key text, only its 32-byte hash")
    void storedItemHoldsOnlyTheHash() {
        String keyId = ids.next(IdPrefix.API_KEY);
        ApiKeyToken token = ApiKeyToken.generate(keyId, random);
        byte[] hash = new ApiKeyHasher(name -> new byte[32]).hash(token);
        ApiKey key = new ApiKey(keyId, orgId(), "CI", Optional.empty(), List.of(), T0, "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0",
                Optional.empty(), Optional.empty(), Optional.empty(), ApiKeySecrets.of(hash), 0, Optional.empty(), 1);

        create(key);

        Map<String, AttributeValue> item = rawItem(keyId);
        String secret = token.value().substring(ApiKeyToken.PREFIX.length() + ApiKeyToken.ID_LENGTH);
        assertThat(item.toString()).doesNotContain(token.value()).doesNotContain(secret);
        item.values().stream().filter(v -> v.b() != null).forEach(v ->
                assertThat(new String(v.b().asByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain(secret));
        assertThat(item.get("hash").b().asByteArray()).hasSize(32).isEqualTo(hash);
        assertThat(keys.find(keyId).orElseThrow().secrets().accepts(hash, T0)).isTrue();
    }

    @Test
    @DisplayName("an expired key is still found (EXPIRED, not NOT_FOUND): its expiry is not the TTL attribute")
    void expiredKeyIsStillFound() {
        ApiKey base = key(orgId(), T0.minus(Duration.ofDays(40)), List.of());
        ApiKey key = new ApiKey(base.id(), base.organizationId(), base.name(), base.description(), base.permissions(),
                base.createdAt(), base.createdBy(), Optional.of(T0.minus(Duration.ofDays(10))), Optional.empty(),
                Optional.empty(), base.secrets(), 0, Optional.empty(), 1);

        create(key);

        Map<String, AttributeValue> item = rawItem(key.id());
        assertThat(item).doesNotContainKey(LatchkeyTable.TTL_ATTRIBUTE).containsKey("keyExpiresAt");
        assertThat(keys.find(key.id())).hasValueSatisfying(found ->
                assertThat(found.state(T0)).isEqualTo(ApiKeyState.EXPIRED));
    }

    @Test
    @DisplayName("list is newest first, pages of the limit, a cursor only while more remain")
    void listNewestFirstInPages() {
        String orgId = orgId();
        List<ApiKey> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(create(key(orgId, T0.plusSeconds(i), List.of("read_models"))));
        }
        List<String> newestFirst = reversed(idsOf(created));

        ApiKeyPage first = keys.list(orgId, new ApiKeyQuery(true, Optional.empty(), 2, Optional.empty()));
        assertThat(idsOf(first.keys())).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(first.nextCursor()).isPresent();
        ApiKeyPage second = keys.list(orgId, new ApiKeyQuery(true, Optional.empty(), 2, first.nextCursor()));
        assertThat(idsOf(second.keys())).containsExactlyElementsOf(newestFirst.subList(2, 4));
        ApiKeyPage third = keys.list(orgId, new ApiKeyQuery(true, Optional.empty(), 2, second.nextCursor()));
        assertThat(idsOf(third.keys())).containsExactlyElementsOf(newestFirst.subList(4, 5));
        assertThat(third.nextCursor()).isEmpty();

        ApiKeyPage exact = keys.list(orgId, new ApiKeyQuery(true, Optional.empty(), 5, Optional.empty()));
        assertThat(idsOf(exact.keys())).containsExactlyElementsOf(newestFirst);
        assertThat(exact.nextCursor()).as("exactly the last key: no empty extra page").isEmpty();
        assertThat(exact.keys().get(0)).isEqualTo(created.get(4));
    }

    @Test
    @DisplayName("7 keys, every other one revoked, limit 2 without revoked: exactly the 4 active, in order")
    void filteredPagesNeitherSkipNorRepeat() {
        String orgId = orgId();
        List<ApiKey> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ApiKey key = create(key(orgId, T0.plusSeconds(i), List.of("read_models")));
            if (i % 2 == 1) {
                ApiKey revoked = key.revoked(new Revocation(T0.plusSeconds(60), "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0",
                        Optional.of("rotation")));
                keys.update(revoked, event(key, "api_key.revoked"));
                key = revoked;
            }
            created.add(key);
        }
        List<String> active = reversed(idsOf(created.stream().filter(k -> k.revocation().isEmpty()).toList()));
        List<String> everything = reversed(idsOf(created));

        assertThat(idsOf(allPages(keys, orgId, false, Optional.empty(), 2))).containsExactlyElementsOf(active);
        assertThat(idsOf(allPages(keys, orgId, true, Optional.empty(), 2))).containsExactlyElementsOf(everything);
        assertThat(idsOf(allPages(keys, orgId, false, Optional.empty(), 3))).containsExactlyElementsOf(active);
        assertThat(allPages(keys, orgId, true, Optional.empty(), 100)).containsExactlyElementsOf(
                reversed(created));

        // A tiny read budget (1 item per Query, 2 Queries per page): pages come back short or empty with a
        // cursor, and following the cursors still yields exactly the active keys once each.
        DynamoDbApiKeyRepository frugal = new DynamoDbApiKeyRepository(emulated.client(), EmulatedTable.TABLE,
                auditLog, 2, 1);
        assertThat(idsOf(allPages(frugal, orgId, false, Optional.empty(), 2))).containsExactlyElementsOf(active);
        assertThat(idsOf(allPages(frugal, orgId, false, Optional.empty(), 1))).containsExactlyElementsOf(active);
        assertThat(idsOf(allPages(frugal, orgId, true, Optional.empty(), 3))).containsExactlyElementsOf(everything);
    }

    @Test
    @DisplayName("a filtered page that runs out of read budget is short or empty, and its cursor loses nothing")
    void exhaustedReadBudgetKeepsACursor() {
        String orgId = orgId();
        ApiKey active = create(key(orgId, T0, List.of()));
        for (int i = 1; i <= 6; i++) {
            ApiKey key = create(key(orgId, T0.plusSeconds(i), List.of()));
            keys.update(key.revoked(new Revocation(T0.plusSeconds(60), "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0",
                    Optional.empty())), event(key, "api_key.revoked"));
        }
        DynamoDbApiKeyRepository frugal = new DynamoDbApiKeyRepository(emulated.client(), EmulatedTable.TABLE,
                auditLog, 2, 1);

        ApiKeyPage first = frugal.list(orgId, new ApiKeyQuery(false, Optional.empty(), 1, Optional.empty()));

        assertThat(first.keys()).isEmpty();
        assertThat(first.nextCursor()).isPresent();
        assertThat(idsOf(allPages(frugal, orgId, false, Optional.empty(), 1))).containsExactly(active.id());
        assertThat(idsOf(allPages(keys, orgId, false, Optional.empty(), 1))).containsExactly(active.id());
    }

    @Test
    @DisplayName("the permission filter matches whole list entries, and combines with the revoked filter")
    void permissionFilter() {
        String orgId = orgId();
        ApiKey models = create(key(orgId, T0.plusSeconds(1), List.of("read_models")));
        ApiKey read = create(key(orgId, T0.plusSeconds(2), List.of("read")));
        ApiKey readWrite = create(key(orgId, T0.plusSeconds(3), List.of("read", "write")));
        create(key(orgId, T0.plusSeconds(4), List.of()));
        ApiKey revokedRead = create(key(orgId, T0.plusSeconds(5), List.of("read")));
        keys.update(revokedRead.revoked(new Revocation(T0, "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0", Optional.empty())),
                event(revokedRead, "api_key.revoked"));

        assertThat(idsOf(allPages(keys, orgId, false, Optional.of("read"), 1)))
                .containsExactly(readWrite.id(), read.id());
        assertThat(idsOf(allPages(keys, orgId, true, Optional.of("read"), 10)))
                .containsExactly(revokedRead.id(), readWrite.id(), read.id());
        assertThat(idsOf(allPages(keys, orgId, true, Optional.of("read_models"), 10))).containsExactly(models.id());
        assertThat(allPages(keys, orgId, true, Optional.of("nobody_has_this"), 10)).isEmpty();
    }

    @Test
    @DisplayName("another organization's keys are never listed, and its cursor is refused")
    void listIsConfinedToTheOrganization() {
        String mine = orgId();
        String theirs = orgId();
        ApiKey own = create(key(mine, T0, List.of("read")));
        for (int i = 0; i < 3; i++) {
            create(key(theirs, T0.plusSeconds(i), List.of("read")));
        }

        assertThat(idsOf(allPages(keys, mine, true, Optional.empty(), 1))).containsExactly(own.id());
        Optional<String> theirCursor = keys.list(theirs, new ApiKeyQuery(true, Optional.empty(), 1,
                Optional.empty())).nextCursor();
        assertThat(theirCursor).isPresent();
        ApiKeyException e = catchThrowableOfType(ApiKeyException.class,
                () -> keys.list(mine, new ApiKeyQuery(true, Optional.empty(), 1, theirCursor)));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.details()).containsEntry("field", "cursor");
    }

    @Test
    @DisplayName("a tampered or made-up cursor is VALIDATION_ERROR")
    void tamperedCursorIsRefused() {
        String orgId = orgId();
        for (int i = 0; i < 3; i++) {
            create(key(orgId, T0.plusSeconds(i), List.of()));
        }
        String cursor = keys.list(orgId, new ApiKeyQuery(true, Optional.empty(), 1, Optional.empty()))
                .nextCursor().orElseThrow();
        String keyId = ids.next(IdPrefix.API_KEY);
        String flipped = cursor.substring(0, 10) + (cursor.charAt(10) == 'A' ? 'B' : 'A') + cursor.substring(11);

        List<String> bad = List.of("", "x", "!!!!", cursor + "=", cursor + "A", flipped, cursor.substring(1),
                encode("v1|" + orgId + "|2026-03-12T10:15:30.000Z"),
                encode("v2|" + orgId + "|2026-03-12T10:15:30.000Z|" + keyId),
                encode("v1|" + orgId + "|2026-03-12T10:15:30Z|" + keyId),
                encode("v1|" + orgId + "|2026-13-12T10:15:30.000Z|" + keyId),
                encode("v1|" + orgId + "|2026-03-12T10:15:30.000Z|" + keyId.toLowerCase(Locale.ROOT)),
                encode("v1|" + orgId + "|2026-03-12T10:15:30.000Z|usr_01HZX3K9Q4M8V2N6P7R5S3T1W0"),
                encode("v1|" + orgId + "|2026-03-12T10:15:30.000Z|" + keyId + "|x"),
                Base64.getUrlEncoder().encodeToString(("v1|" + orgId + "|2026-03-12T10:15:30.000Z|" + keyId)
                        .getBytes(StandardCharsets.UTF_8)) + "=",
                "A".repeat(300));
        for (String text : bad) {
            ApiKeyException e = catchThrowableOfType(ApiKeyException.class,
                    () -> keys.list(orgId, new ApiKeyQuery(true, Optional.empty(), 1, Optional.of(text))));
            assertThat(e).as("cursor %s", text).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details()).containsEntry("field", "cursor").containsEntry("reason", "INVALID");
        }
        // A well-formed cursor for this organization is a position, whatever key it names.
        String madeUp = encode("v1|" + orgId + "|2026-03-12T10:15:31.000Z|" + keyId);
        assertThat(keys.list(orgId, new ApiKeyQuery(true, Optional.empty(), 5, Optional.of(madeUp))).keys())
                .hasSize(2);
    }

    @Test
    @DisplayName("a cursor still works after the key it ends on was deleted")
    void cursorSurvivesDeletionOfItsKey() {
        String orgId = orgId();
        List<ApiKey> created = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            created.add(create(key(orgId, T0.plusSeconds(i), List.of())));
        }
        ApiKeyPage first = keys.list(orgId, new ApiKeyQuery(true, Optional.empty(), 2, Optional.empty()));
        ApiKey last = first.keys().get(1);
        keys.delete(last, List.of(), event(last, "api_key.deleted"));

        ApiKeyPage second = keys.list(orgId, new ApiKeyQuery(true, Optional.empty(), 2, first.nextCursor()));

        assertThat(idsOf(second.keys())).containsExactly(created.get(1).id(), created.get(0).id());
    }

    @Test
    @DisplayName("revoke and roll write revocation, hashes and version; a roll without grace removes the previous")
    void updateWritesRevocationAndSecrets() {
        String orgId = orgId();
        ApiKey key = create(key(orgId));
        ApiKeySecrets rolledSecrets = new ApiKeySecrets(hash(), Optional.of(key.secrets().current()),
                Optional.of(T0.plus(Duration.ofHours(1))));
        ApiKey rolled = key.withSecrets(rolledSecrets);

        keys.update(rolled, event(key, "api_key.rolled"));
        assertThat(keys.find(key.id())).contains(rolled);

        ApiKey rolledAgain = rolled.withSecrets(ApiKeySecrets.of(hash()));
        keys.update(rolledAgain, event(key, "api_key.rolled"));
        assertThat(keys.find(key.id())).contains(rolledAgain);
        assertThat(rawItem(key.id())).doesNotContainKeys("previousHash", "previousExpiresAt");

        ApiKey revoked = rolledAgain.revoked(new Revocation(T0.plusSeconds(9), "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0",
                Optional.of("no longer needed")));
        keys.update(revoked, event(key, "api_key.revoked"));
        assertThat(keys.find(key.id())).contains(revoked);
        assertThat(revoked.version()).isEqualTo(4);
        assertThat(auditEvents(orgId)).extracting(AuditEvent::action)
                .containsExactlyInAnyOrder("api_key.created", "api_key.rolled", "api_key.rolled", "api_key.revoked");
    }

    @Test
    @DisplayName("an update at a stale version is CONFLICT and changes nothing, audit included")
    void updateWithStaleVersionThenConflictAndNothingChanged() {
        String orgId = orgId();
        ApiKey key = create(key(orgId));
        ApiKey firstChange = key.revoked(new Revocation(T0, "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0", Optional.empty()));
        keys.update(firstChange, event(key, "api_key.revoked"));

        ApiKey stale = key.withSecrets(ApiKeySecrets.of(hash()));
        ApiKeyException e = catchThrowableOfType(ApiKeyException.class,
                () -> keys.update(stale, event(key, "api_key.rolled")));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.details()).containsEntry("reason", "CONCURRENT_CHANGE");
        assertThat(keys.find(key.id())).contains(firstChange);
        assertThat(auditEvents(orgId)).extracting(AuditEvent::action)
                .containsExactlyInAnyOrder("api_key.created", "api_key.revoked");

        ApiKey gone = key(orgId);
        assertThat(catchThrowableOfType(ApiKeyException.class, () -> keys.update(gone.withSecrets(
                ApiKeySecrets.of(hash())), event(gone, "api_key.rolled"))).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(keys.find(gone.id())).isEmpty();
    }

    @Test
    @DisplayName("an update never touches the use count or lastUsedAt")
    void updateLeavesUsageUntouched() {
        ApiKey key = create(key(orgId()));
        keys.recordUsage(key.id(), 5, T0.plusSeconds(30));

        keys.update(key.revoked(new Revocation(T0.plusSeconds(40), "usr_01HZX3K9Q4M8V2N6P7R5S3T1W0",
                Optional.empty())), event(key, "api_key.revoked"));

        ApiKey found = keys.find(key.id()).orElseThrow();
        assertThat(found.useCount()).isEqualTo(5);
        assertThat(found.lastUsedAt()).contains(T0.plusSeconds(30));
        assertThat(found.version()).isEqualTo(2);
        assertThat(found.state(T0.plusSeconds(41))).isEqualTo(ApiKeyState.REVOKED);
    }

    @Test
    @DisplayName("delete removes the key with its audit event; another organization's key is NOT_FOUND and stays")
    void deleteIsConfinedToTheOrganization() {
        String owner = orgId();
        String intruder = orgId();
        ApiKey key = create(key(owner));

        ApiKeyException e = catchThrowableOfType(ApiKeyException.class,
                () -> keys.delete(inOrganization(key, intruder), List.of(), event(key, "api_key.deleted")));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(keys.find(key.id())).contains(key);
        assertThat(auditEvents(intruder)).isEmpty();

        keys.delete(key, List.of(), event(key, "api_key.deleted"));
        assertThat(keys.find(key.id())).isEmpty();
        assertThat(auditEvents(owner)).extracting(AuditEvent::action)
                .containsExactlyInAnyOrder("api_key.created", "api_key.deleted");
        assertThat(catchThrowableOfType(ApiKeyException.class,
                () -> keys.delete(key, List.of(), event(key, "api_key.deleted"))).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(idsOf(allPages(keys, owner, true, Optional.empty(), 10))).doesNotContain(key.id());
    }

    @Test
    @DisplayName("recordUsage adds every count and keeps the later lastUsedAt")
    void recordUsageAddsAndMovesForwardOnly() {
        ApiKey key = create(key(orgId()));
        Instant t1 = T0.plusSeconds(10).plusNanos(5);
        Instant t2 = T0.plusSeconds(20);
        Instant t3 = T0.plusSeconds(30);

        keys.recordUsage(key.id(), 3, t2);
        keys.recordUsage(key.id(), 2, t1);
        keys.recordUsage(key.id(), 4, t2);
        ApiKey found = keys.find(key.id()).orElseThrow();
        assertThat(found.useCount()).isEqualTo(9);
        assertThat(found.lastUsedAt()).contains(t2);

        keys.recordUsage(key.id(), 1, t3);
        found = keys.find(key.id()).orElseThrow();
        assertThat(found.useCount()).isEqualTo(10);
        assertThat(found.lastUsedAt()).contains(t3);
        assertThat(found.version()).isEqualTo(1);
        assertThat(rawItem(key.id()).get("lastUsedAt").s()).isEqualTo("2026-03-12T10:16:00.000000000Z");
    }

    @Test
    @DisplayName("lastUsedAt is stored fixed width, so a later sub-second time is never replaced by an earlier one")
    void lastUsedAtOrdersBySubSecondTime() {
        ApiKey key = create(key(orgId()));
        Instant later = T0.plusMillis(100);
        Instant earlier = T0.plusNanos(99_999_999);

        keys.recordUsage(key.id(), 1, later);
        keys.recordUsage(key.id(), 1, earlier);

        assertThat(keys.find(key.id()).orElseThrow().lastUsedAt()).contains(later);
    }

    @Test
    @DisplayName("recordUsage never re-creates a deleted (or unknown) key")
    void recordUsageIgnoresMissingKey() {
        String orgId = orgId();
        ApiKey key = create(key(orgId));
        keys.delete(key, List.of(), event(key, "api_key.deleted"));

        keys.recordUsage(key.id(), 5, T0.plusSeconds(1));
        String unknown = ids.next(IdPrefix.API_KEY);
        keys.recordUsage(unknown, 1, T0.plusSeconds(1));

        assertThat(rawItem(key.id())).isEmpty();
        assertThat(rawItem(unknown)).isEmpty();
        assertThat(keys.find(key.id())).isEmpty();
    }

    @Test
    @DisplayName("parallel usage writes are all counted")
    void parallelUsageIsCountedExactly() throws Exception {
        ApiKey key = create(key(orgId()));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Instant at = T0.plusSeconds(i % 7);
                writes.add(pool.submit(() -> keys.recordUsage(key.id(), 1, at)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdownNow();
        }

        ApiKey found = keys.find(key.id()).orElseThrow();
        assertThat(found.useCount()).isEqualTo(40);
        assertThat(found.lastUsedAt()).contains(T0.plusSeconds(6));
    }

    @Test
    @DisplayName("store failures become StoreUnavailableException and say nothing of the key")
    void missingTableThenStoreUnavailable() {
        DynamoDbApiKeyRepository broken = new DynamoDbApiKeyRepository(emulated.client(), "no-such-table",
                new DynamoDbAuditLog(emulated.client(), "no-such-table", Clock.systemUTC()));
        ApiKey key = key(orgId());

        assertThatThrownBy(() -> broken.find(key.id())).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> broken.create(key, event(key, "api_key.created")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> broken.list(key.organizationId(), ApiKeyQuery.everything(Optional.empty())))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> broken.update(key.withSecrets(ApiKeySecrets.of(hash())),
                event(key, "api_key.rolled"))).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> broken.delete(key, List.of(), event(key, "api_key.deleted")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> broken.recordUsage(key.id(), 1, T0)).isInstanceOf(StoreUnavailableException.class)
                .hasMessageNotContaining(key.id());
    }

    private static ApiKey inOrganization(ApiKey key, String organizationId) {
        return new ApiKey(key.id(), organizationId, key.name(), key.description(), key.permissions(), key.createdAt(),
                key.createdBy(), key.expiresAt(), key.rateLimit(), key.revocation(), key.secrets(), key.useCount(),
                key.lastUsedAt(), key.version(), key.ancestors());
    }
}
