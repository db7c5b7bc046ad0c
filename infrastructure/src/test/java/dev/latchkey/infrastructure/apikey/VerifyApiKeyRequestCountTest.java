package dev.latchkey.infrastructure.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.apikey.ApiKeyCache;
import dev.latchkey.core.apikey.ApiKeyCredits;
import dev.latchkey.core.apikey.ApiKeyOwnerData;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.ApiKeyUpdate;
import dev.latchkey.core.apikey.ApiKeyUsage;
import dev.latchkey.core.apikey.CreateApiKeyCommand;
import dev.latchkey.core.apikey.CreditRefill;
import dev.latchkey.core.apikey.NamedRateLimit;
import dev.latchkey.core.apikey.ManageApiKeys;
import dev.latchkey.core.apikey.Verification;
import dev.latchkey.core.apikey.ShowVerificationAnalytics;
import dev.latchkey.core.apikey.VerificationAnalytics;
import dev.latchkey.core.apikey.VerificationFailure;
import dev.latchkey.core.apikey.VerificationOutcome;
import dev.latchkey.core.apikey.VerifyApiKey;
import dev.latchkey.core.apikey.VerifyOptions;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB requests one verify costs, counted on a real SDK client against the emulated table with the
 * real adapters (docs/api-keys.md "DynamoDB requests per verify").
 */
class VerifyApiKeyRequestCountTest {

    /** The step-up is not this test's subject (see the core use-case tests): the table is. */
    private static final SensitiveOperations NO_STEP_UP = user -> { };

    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    private static EmulatedTable emulated;
    private static DynamoDbClient counting;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final SecureRandom random = new SecureRandom();
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    private DynamoDbApiKeyRepository keys;
    private ApiKeyHasher hasher;
    private ManageApiKeys manage;
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
        keys = new DynamoDbApiKeyRepository(counting, EmulatedTable.TABLE,
                new DynamoDbAuditLog(counting, EmulatedTable.TABLE, clock));
        hasher = new ApiKeyHasher(new DynamoDbPeppers(counting, EmulatedTable.TABLE,
                LocalKeyVault.fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", random), random, clock));
        manage = new ManageApiKeys(keys, hasher, ApiKeyCache.disabled(clock), ids, random, clock, NO_STEP_UP);
        String organizationId = ids.next(IdPrefix.ORGANIZATION);
        emulated.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + organizationId),
                LatchkeyTable.SK, AttributeValue.fromS("ORG"))));
        owner = new OrgAccess(organizationId, new Caller.User(ids.next(IdPrefix.USER), ids.next(IdPrefix.SESSION)),
                Role.OWNER.permissions());
    }

    private VerifyApiKey verifier(ApiKeyCache cache) {
        return new VerifyApiKey(keys, hasher, new DynamoDbRateLimiter(counting, EmulatedTable.TABLE, clock),
                new ApiKeyUsage(keys, clock, ApiKeyUsage.DEFAULT_INTERVAL), cache, clock);
    }

    private String create(Optional<RateLimit> limit) {
        return create(limit, Optional.empty());
    }

    private String create(Optional<RateLimit> limit, Optional<ApiKeyCredits> credits) {
        return manage.create(owner, new CreateApiKeyCommand("worker", List.of("run_inference"), Optional.empty(),
                Optional.empty(), limit, credits), RequestOrigin.of("203.0.113.9", "req-1")).token().value();
    }

    @Test
    @DisplayName("a key with credits: one GetItem and one conditional UpdateItem per verify; none left: no write")
    void verifyWithCreditsAddsOneConditionalWrite() {
        String key = create(Optional.empty(), Optional.of(new ApiKeyCredits(21, Optional.empty(), Optional.empty())));
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));
        verify.verify(key, Optional.empty());

        Map<String, Integer> spending = requests(() -> {
            for (int i = 0; i < 20; i++) {
                assertThat(verify.verify(key, Optional.empty()).creditsRemaining()).hasValue(19 - i);
            }
        });
        Map<String, Integer> exhausted = requests(() -> {
            for (int i = 0; i < 5; i++) {
                assertThat(verify.verify(key, Optional.empty()).failure())
                        .contains(VerificationFailure.USAGE_EXCEEDED);
            }
        });
        Map<String, Integer> checkOnly = requests(() -> verify.verify(key, Optional.empty(), 0));

        assertThat(spending).isEqualTo(Map.of("GetItem", 20, "UpdateItem", 20));
        assertThat(exhausted).isEqualTo(Map.of("GetItem", 5));
        assertThat(checkOnly).isEqualTo(Map.of("GetItem", 1));
    }

    @Test
    @DisplayName("a due refill is applied by the same one UpdateItem that spends, once per period")
    void verifyWhenRefillDueThenStillOneWrite() {
        CreditRefill daily = new CreditRefill(CreditRefill.Interval.DAILY, 100, Optional.empty());
        String key = create(Optional.empty(), Optional.of(new ApiKeyCredits(1, Optional.of(daily), Optional.empty())));
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));
        verify.verify(key, Optional.empty());
        assertThat(verify.verify(key, Optional.empty()).failure()).contains(VerificationFailure.USAGE_EXCEEDED);
        clock.advance(Duration.ofDays(1));

        Map<String, Integer> counts = requests(() -> {
            assertThat(verify.verify(key, Optional.empty(), 10).creditsRemaining()).hasValue(90);
            assertThat(verify.verify(key, Optional.empty(), 10).creditsRemaining()).hasValue(80);
        });

        // Two credit writes (the first also refills) and the day-old usage write that the first valid verify makes.
        assertThat(counts).isEqualTo(Map.of("GetItem", 2, "UpdateItem", 3));
    }

    @Test
    @DisplayName("a key with credits and its own rate limit: one GetItem and one conditional UpdateItem per verify, "
            + "the limit's window counted on the key's item; the headers' remaining and reset as before")
    void verifyWithCreditsAndRateLimitIsOneConditionalWrite() {
        String key = create(Optional.of(RateLimit.perSeconds(1000, 60)),
                Optional.of(new ApiKeyCredits(100, Optional.empty(), Optional.empty())));
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));
        verify.verify(key, Optional.empty());

        Map<String, Integer> counts = requests(() -> {
            for (int i = 0; i < 10; i++) {
                Verification verification = verify.verify(key, Optional.empty());
                assertThat(verification.valid()).isTrue();
                assertThat(verification.creditsRemaining()).hasValue(98 - i);
                assertThat(verification.rateLimit().orElseThrow().remaining()).isEqualTo(1000 - 2 - i);
                assertThat(verification.rateLimit().orElseThrow().resetAt()).isEqualTo(Instant.parse(
                        "2026-11-25T10:01:00Z"));
            }
        });

        assertThat(counts).isEqualTo(Map.of("GetItem", 10, "UpdateItem", 10));
        String keyId = dev.latchkey.core.apikey.ApiKeyToken.parse(key).orElseThrow().keyId();
        assertThat(emulated.client().scan(b -> b.tableName(EmulatedTable.TABLE)).items()).as("no counter item")
                .noneMatch(item -> item.get(LatchkeyTable.PK).s().startsWith("RATE#apikey:" + keyId));
        assertThat(keyItem(keyId).get("meteredCount#default").n()).isEqualTo("11");
    }

    @Test
    @DisplayName("a metered key's window on its item: a new window starts from the request's cost and replaces the "
            + "old one (one pair of attributes per limit); over the limit is RATE_LIMITED and spends no credit; "
            + "too few credits is USAGE_EXCEEDED and counts nothing; a due refill is the same one write")
    void meteredWindowWhenWindowsPassThenOnePairOfAttributesAndRefusalsWriteNothing() {
        CreditRefill daily = new CreditRefill(CreditRefill.Interval.DAILY, 50, Optional.empty());
        String key = create(Optional.of(RateLimit.perSeconds(3, 60)),
                Optional.of(ApiKeyCredits.of(5, Optional.of(daily), clock.instant())));
        String keyId = dev.latchkey.core.apikey.ApiKeyToken.parse(key).orElseThrow().keyId();
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));
        verify.verify(key, Optional.empty()); // the first use writes usage at once

        Map<String, Integer> overLimit = requests(() -> {
            assertThat(verify.verify(key, Optional.empty()).creditsRemaining()).hasValue(3);
            assertThat(verify.verify(key, Optional.empty()).creditsRemaining()).hasValue(2);
            Verification refused = verify.verify(key, Optional.empty());
            assertThat(refused.failure()).contains(VerificationFailure.RATE_LIMITED);
            assertThat(refused.rateLimit().orElseThrow().remaining()).isZero();
            assertThat(refused.rateLimit().orElseThrow().headers()).containsEntry("retry-after", "60");
        });
        assertThat(overLimit).as("a window full as read refuses without a write")
                .isEqualTo(Map.of("GetItem", 3, "UpdateItem", 2));
        assertThat(keys.find(keyId).orElseThrow().credits().orElseThrow().remaining()).as("no credit spent")
                .isEqualTo(2);

        clock.advance(Duration.ofSeconds(60));
        Map<String, Integer> tooFew = requests(() -> {
            Verification refused = verify.verify(key, Optional.empty(), 3);
            assertThat(refused.failure()).contains(VerificationFailure.USAGE_EXCEEDED);
            assertThat(refused.rateLimit().orElseThrow().remaining()).as("nothing counted").isEqualTo(3);
            assertThat(verify.verify(key, Optional.empty(), 2).creditsRemaining()).hasValue(0);
        });
        // Too few as read: no write; the valid one: its write and the usage write due after 10 s.
        assertThat(tooFew).isEqualTo(Map.of("GetItem", 2, "UpdateItem", 2));
        Map<String, AttributeValue> item = keyItem(keyId);
        assertThat(item.keySet().stream().filter(name -> name.startsWith("metered")))
                .containsExactlyInAnyOrder("meteredStart#default", "meteredCount#default");
        assertThat(item.get("meteredCount#default").n()).isEqualTo("1");

        clock.advance(Duration.ofDays(1));
        Map<String, Integer> refill = requests(() -> {
            Verification refilled = verify.verify(key, Optional.empty(), 10);
            assertThat(refilled.creditsRemaining()).hasValue(40);
            assertThat(refilled.rateLimit().orElseThrow().remaining()).isEqualTo(2);
        });
        // The refill and the window in one write, and the day-old usage write of the first valid verify.
        assertThat(refill).isEqualTo(Map.of("GetItem", 1, "UpdateItem", 2));
    }

    @Test
    @DisplayName("[SECURITY API keys] 200 parallel verifies of a key with credits and a limit of 50: exactly 50 "
            + "valid, 150 RATE_LIMITED, 50 credits spent; and against 50 credits under a wide limit: exactly 50 valid")
    void meteredWhenParallelThenNeitherTheLimitNorTheCreditsAreOverspent() throws Exception {
        String limited = create(Optional.of(RateLimit.perSeconds(50, 3600)),
                Optional.of(new ApiKeyCredits(1000, Optional.empty(), Optional.empty())));
        String few = create(Optional.of(RateLimit.perSeconds(100_000, 3600)),
                Optional.of(new ApiKeyCredits(50, Optional.empty(), Optional.empty())));
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));

        assertThat(parallel(verify, limited, 200)).isEqualTo(Map.of("VALID", 50, "RATE_LIMITED", 150));
        assertThat(parallel(verify, few, 200)).isEqualTo(Map.of("VALID", 50, "USAGE_EXCEEDED", 150));
        assertThat(keys.find(dev.latchkey.core.apikey.ApiKeyToken.parse(limited).orElseThrow().keyId()).orElseThrow()
                .credits().orElseThrow().remaining()).isEqualTo(950);
        assertThat(keys.find(dev.latchkey.core.apikey.ApiKeyToken.parse(few).orElseThrow().keyId()).orElseThrow()
                .credits().orElseThrow().remaining()).isZero();
    }

    @Test
    @DisplayName("a metered write that meets a changed item: a full window or spent credits are told from the failed "
            + "write's ALL_OLD without another request; a lost refill or window race is written again from it")
    void meteredWriteWhenItemChangedSinceTheReadThenDecidedFromAllOld() {
        CreditRefill daily = new CreditRefill(CreditRefill.Interval.DAILY, 10, Optional.empty());
        String key = create(Optional.of(RateLimit.perSeconds(2, 60)),
                Optional.of(ApiKeyCredits.of(3, Optional.of(daily), clock.instant())));
        String keyId = dev.latchkey.core.apikey.ApiKeyToken.parse(key).orElseThrow().keyId();
        NamedRateLimit own = new NamedRateLimit(NamedRateLimit.DEFAULT, RateLimit.perSeconds(2, 60));
        dev.latchkey.core.apikey.ApiKey stale = keys.find(keyId).orElseThrow();
        keys.spendWithinLimit(stale, own, 1, 1, clock.instant());
        keys.spendWithinLimit(keys.find(keyId).orElseThrow(), own, 1, 1, clock.instant());

        Map<String, Integer> full = requests(() -> assertThat(keys.spendWithinLimit(stale, own, 1, 1,
                clock.instant())).isEqualTo(new dev.latchkey.core.apikey.MeteredSpend(3, false,
                        java.util.OptionalLong.empty())));
        clock.advance(Duration.ofSeconds(60));
        dev.latchkey.core.apikey.ApiKey read = keys.find(keyId).orElseThrow();
        keys.spendWithinLimit(read, own, 1, 1, clock.instant());
        Map<String, Integer> spent = requests(() -> assertThat(keys.spendWithinLimit(read, own, 0, 1,
                clock.instant())).isEqualTo(new dev.latchkey.core.apikey.MeteredSpend(1, true,
                        java.util.OptionalLong.empty())));
        clock.advance(Duration.ofDays(1));
        dev.latchkey.core.apikey.ApiKey beforeRefill = keys.find(keyId).orElseThrow();
        keys.spendWithinLimit(beforeRefill, own, 1, 4, clock.instant());
        Map<String, Integer> refillRace = requests(() -> assertThat(keys.spendWithinLimit(beforeRefill, own, 1, 1,
                clock.instant())).isEqualTo(new dev.latchkey.core.apikey.MeteredSpend(2, true,
                        java.util.OptionalLong.of(5))));

        assertThat(full).isEqualTo(Map.of("UpdateItem", 1));
        assertThat(spent).isEqualTo(Map.of("UpdateItem", 1));
        assertThat(refillRace).as("the race's loser: its write, then the plain one").isEqualTo(Map.of("UpdateItem", 2));
    }

    /** Runs {@code count} verifies of the key on 32 threads: how many answered what ({@code VALID} or the code). */
    private static Map<String, Integer> parallel(VerifyApiKey verify, String key, int count)
            throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        try {
            List<java.util.concurrent.Future<Verification>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                answers.add(pool.submit(() -> verify.verify(key, Optional.empty())));
            }
            Map<String, Integer> answered = new TreeMap<>();
            for (java.util.concurrent.Future<Verification> answer : answers) {
                Verification verification = answer.get();
                answered.merge(verification.failure().map(Enum::name).orElse("VALID"), 1, Integer::sum);
            }
            return answered;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, AttributeValue> keyItem(String keyId) {
        return emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(dev.latchkey.infrastructure.dynamodb.Keys.apiKey(keyId))).item();
    }

    @Test
    @DisplayName("a named limit with a cost: one counter UpdateItem for that limit only; with credits the limit and "
            + "the credits are one UpdateItem")
    void verifyWithNamedLimitAddsOneCounterWrite() {
        String key = manage.create(owner, new CreateApiKeyCommand("llm", List.of(), Optional.empty(),
                Optional.empty(), Optional.of(RateLimit.perSeconds(1000, 60)),
                Optional.of(new ApiKeyCredits(100, Optional.empty(), Optional.empty())),
                List.of(new NamedRateLimit("tokens", RateLimit.perSeconds(100_000, 3600)))),
                RequestOrigin.of("203.0.113.9", "req-1")).token().value();
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));
        verify.verify(key, Optional.empty());

        Map<String, Integer> counts = requests(() -> {
            for (int i = 0; i < 10; i++) {
                Verification verification = verify.verify(key, Optional.empty(),
                        new VerifyOptions(1, Optional.of("tokens"), 250));
                assertThat(verification.rateLimit().orElseThrow().remaining()).isEqualTo(100_000 - 250 * (i + 1));
            }
        });

        assertThat(counts).isEqualTo(Map.of("GetItem", 10, "UpdateItem", 10));
    }

    @Test
    @DisplayName("owner data: allow-list, external id and meta come back from the one GetItem; listing by external "
            + "id is one Query and one BatchGetItem; a delete removes the index item")
    void ownerDataWhenStoredThenReadWithTheKeyAndListedByExternalId() {
        ApiKeyOwnerData data = new ApiKeyOwnerData(ApiKeyOwnerData.ranges(List.of("203.0.113.0/24", "2001:db8::/32")),
                Optional.of("tenant_42"), Optional.of("{\"plan\":\"pro\"}"));
        var created = manage.create(owner, new CreateApiKeyCommand("tenant", List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), data),
                RequestOrigin.of("203.0.113.9", "req-1"));
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));
        VerifyOptions inside = new VerifyOptions(1, Optional.empty(), 1, Optional.of("203.0.113.80"));
        verify.verify(created.token().value(), Optional.empty(), inside); // the first use writes usage at once

        Map<String, Integer> verifying = requests(() -> assertThat(verify.verify(created.token().value(),
                Optional.empty(), inside).key().orElseThrow().owner()).isEqualTo(data));
        Map<String, Integer> listing = requests(() -> assertThat(keys.findByExternalId(owner.organizationId(),
                "tenant_42", 50)).extracting(k -> k.id()).containsExactly(created.key().id()));
        manage.delete(owner, created.key().id(), RequestOrigin.of("203.0.113.9", "req-2"));

        assertThat(verifying).isEqualTo(Map.of("GetItem", 1));
        assertThat(listing).isEqualTo(Map.of("BatchGetItem", 1, "Query", 1));
        assertThat(keys.findByExternalId(owner.organizationId(), "tenant_42", 50)).isEmpty();
        assertThat(emulated.client().scan(b -> b.tableName(EmulatedTable.TABLE)).items()).noneMatch(item ->
                item.get(LatchkeyTable.PK).s().startsWith("EXTID#"));
    }

    @Test
    @DisplayName("[SECURITY API keys] 200 parallel verifies against 50 credits: exactly 50 valid, none below zero")
    void verifyWhenParallelAgainstFewCreditsThenNeverOverspends() throws Exception {
        String key = create(Optional.empty(), Optional.of(new ApiKeyCredits(50, Optional.empty(), Optional.empty())));
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        try {
            List<java.util.concurrent.Future<Verification>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(pool.submit(() -> verify.verify(key, Optional.empty())));
            }
            int valid = 0;
            int exceeded = 0;
            for (java.util.concurrent.Future<Verification> answer : answers) {
                Verification verification = answer.get();
                if (verification.valid()) {
                    valid++;
                } else if (verification.failure().orElseThrow() == VerificationFailure.USAGE_EXCEEDED) {
                    exceeded++;
                }
            }
            assertThat(valid).isEqualTo(50);
            assertThat(exceeded).isEqualTo(150);
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys.find(dev.latchkey.core.apikey.ApiKeyToken.parse(key).orElseThrow().keyId()).orElseThrow()
                .credits().orElseThrow().remaining()).isZero();
    }

    @Test
    @DisplayName("analytics add no request to a verify: 100 verifies in a minute are 100 GetItem; the first verify "
            + "after the minute also writes the key's day and the organization's day (2 UpdateItem, amortised)")
    void verifyWithAnalyticsWhenWithinIntervalThenNoWriteAndTwoWritesPerIntervalAndKey() {
        String key = create(Optional.empty());
        DynamoDbVerificationAnalytics store = new DynamoDbVerificationAnalytics(counting, EmulatedTable.TABLE, clock);
        VerificationAnalytics analytics = new VerificationAnalytics(store, clock,
                VerificationAnalytics.DEFAULT_INTERVAL);
        VerifyApiKey verify = new VerifyApiKey(keys, hasher, new DynamoDbRateLimiter(counting, EmulatedTable.TABLE,
                clock), new ApiKeyUsage(keys, clock, ApiKeyUsage.DEFAULT_INTERVAL), ApiKeyCache.disabled(clock), clock,
                new DynamoDbAuditLog(counting, EmulatedTable.TABLE, clock), ids, analytics);
        verify.verify(key, Optional.empty()); // the first use in this "container" writes usage at once

        Map<String, Integer> within = requests(() -> {
            for (int i = 0; i < 100; i++) {
                clock.advance(Duration.ofMillis(50));
                assertThat(verify.verify(key, Optional.of("run_inference")).valid()).isTrue();
            }
        });
        clock.advance(VerificationAnalytics.DEFAULT_INTERVAL);
        Map<String, Integer> due = requests(() -> assertThat(verify.verify(key, Optional.of("write")).failure())
                .contains(VerificationFailure.PERMISSION_DENIED));
        ShowVerificationAnalytics show = new ShowVerificationAnalytics(keys, store, analytics, clock);
        String keyId = dev.latchkey.core.apikey.ApiKeyToken.parse(key).orElseThrow().keyId();
        Map<String, Integer> reading = requests(() -> assertThat(show.forKey(owner, keyId, show.range(
                Optional.empty(), Optional.empty(), Optional.empty())).totals().counts()).isEqualTo(Map.of(
                        VerificationOutcome.VALID, 101L, VerificationOutcome.PERMISSION_DENIED, 1L)));

        assertThat(within).isEqualTo(Map.of("GetItem", 100));
        assertThat(due).isEqualTo(Map.of("GetItem", 1, "UpdateItem", 2));
        // The due verify wrote its own count too: the read checks the key's organization and queries, nothing else.
        assertThat(reading).isEqualTo(Map.of("GetItem", 1, "Query", 1));
        LocalDate today = VerificationAnalytics.day(clock.instant());
        assertThat(show.forOrganization(owner, show.range(Optional.empty(), Optional.empty(),
                Optional.of("valid"))).totals().total()).isEqualTo(101);
        Map<String, AttributeValue> item = emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE)
                .key(Map.of(LatchkeyTable.PK, AttributeValue.fromS("VERIFY_KEY#" + keyId), LatchkeyTable.SK,
                        AttributeValue.fromS("DAY#" + today)))).item();
        assertThat(item.get("valid").n()).isEqualTo("101");
        assertThat(Long.parseLong(item.get(LatchkeyTable.TTL_ATTRIBUTE).n())).isEqualTo(
                today.plusDays(VerificationAnalytics.RETENTION_DAYS).atStartOfDay(java.time.ZoneOffset.UTC)
                        .toEpochSecond());
        assertThat(item.get("organizationId").s()).isEqualTo(owner.organizationId());
    }

    @Test
    @DisplayName("an update moving the external id is one TransactWriteItems: the key, the old index item's delete, "
            + "the new one's put and the audit event; the list by either id sees the move")
    void updateWhenExternalIdMovesThenOneTransactionAndTheIndexFollows() {
        ApiKeyOwnerData data = new ApiKeyOwnerData(List.of(), Optional.of("tenant_a"), Optional.of("{\"v\":1}"));
        var created = manage.create(owner, new CreateApiKeyCommand("tenant", List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), data),
                RequestOrigin.of("203.0.113.9", "req-1"));
        ApiKeyUpdate move = new ApiKeyUpdate(java.util.EnumSet.of(ApiKeyUpdate.Field.EXTERNAL_ID,
                ApiKeyUpdate.Field.META, ApiKeyUpdate.Field.RATE_LIMITS, ApiKeyUpdate.Field.ALLOWED_IPS),
                Optional.of("tenant_b"), Optional.of("{\"v\":2}"), Optional.empty(),
                List.of(new NamedRateLimit("tokens", RateLimit.perSeconds(500, 60))),
                ApiKeyOwnerData.ranges(List.of("2001:db8::/32")));

        Map<String, Integer> updating = requests(() -> manage.update(owner, created.key().id(), move,
                RequestOrigin.of("203.0.113.9", "req-2")));

        assertThat(updating).isEqualTo(Map.of("GetItem", 1, "TransactWriteItems", 1));
        assertThat(keys.findByExternalId(owner.organizationId(), "tenant_a", 50)).isEmpty();
        assertThat(keys.findByExternalId(owner.organizationId(), "tenant_b", 50)).singleElement().satisfies(k -> {
            assertThat(k.owner().meta()).contains("{\"v\":2}");
            assertThat(k.rateLimits()).extracting(NamedRateLimit::name).containsExactly("tokens");
            assertThat(k.owner().allowedIps()).isEqualTo(ApiKeyOwnerData.ranges(List.of("2001:db8::/32")));
            assertThat(k.version()).isEqualTo(created.key().version() + 1);
        });
        assertThat(emulated.client().scan(b -> b.tableName(EmulatedTable.TABLE)).items().stream()
                .filter(i -> i.get(LatchkeyTable.PK).s().startsWith("EXTID#" + owner.organizationId()))
                .map(i -> i.get(LatchkeyTable.PK).s())).containsExactly("EXTID#" + owner.organizationId()
                        + "#tenant_b");
        ApiKeyUpdate clear = new ApiKeyUpdate(java.util.EnumSet.of(ApiKeyUpdate.Field.EXTERNAL_ID,
                ApiKeyUpdate.Field.ALLOWED_IPS, ApiKeyUpdate.Field.META), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), List.of());
        manage.update(owner, created.key().id(), clear, RequestOrigin.of("203.0.113.9", "req-3"));
        assertThat(keys.findByExternalId(owner.organizationId(), "tenant_b", 50)).isEmpty();
        assertThat(keys.find(created.key().id()).orElseThrow().owner()).isEqualTo(ApiKeyOwnerData.NONE);
    }

    /** Runs the verifies and answers the requests they made, by operation. */
    private Map<String, Integer> requests(Runnable verifies) {
        REQUESTS.clear();
        verifies.run();
        Map<String, Integer> counts = new TreeMap<>();
        REQUESTS.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    @Test
    @DisplayName("a key without a rate limit: one GetItem per verify, one usage write per 10 s")
    void verifyWithoutRateLimitCostsOneReadAndACoalescedUsageWrite() {
        String key = create(Optional.empty());
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));
        verify.verify(key, Optional.empty()); // first use in this "container" writes usage at once

        Map<String, Integer> counts = requests(() -> {
            for (int i = 0; i < 100; i++) {
                clock.advance(Duration.ofMillis(50));
                assertThat(verify.verify(key, Optional.of("run_inference")).valid()).isTrue();
            }
        });

        // 100 verifies over 5 s: 100 reads and no write at all (the next usage write is due at 10 s).
        assertThat(counts).isEqualTo(Map.of("GetItem", 100));
    }

    @Test
    @DisplayName("a key with a rate limit: one GetItem and one counter UpdateItem per verify")
    void verifyWithRateLimitAddsOneCounterWrite() {
        String key = create(Optional.of(RateLimit.perSeconds(1000, 60)));
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));
        verify.verify(key, Optional.empty());

        Map<String, Integer> counts = requests(() -> {
            for (int i = 0; i < 20; i++) {
                assertThat(verify.verify(key, Optional.empty()).valid()).isTrue();
            }
        });

        assertThat(counts).isEqualTo(Map.of("GetItem", 20, "UpdateItem", 20));
    }

    @Test
    @DisplayName("a made-up or mistyped key costs no request at all")
    void malformedKeysCostNothing() {
        String key = create(Optional.empty());
        String typo = key.substring(0, 40) + (key.charAt(40) == 'a' ? 'b' : 'a') + key.substring(41);
        VerifyApiKey verify = verifier(ApiKeyCache.disabled(clock));

        Map<String, Integer> counts = requests(() -> {
            assertThat(verify.verify(typo, Optional.empty()).failure()).contains(VerificationFailure.NOT_FOUND);
            assertThat(verify.verify("lk_nonsense", Optional.empty()).failure())
                    .contains(VerificationFailure.NOT_FOUND);
        });

        assertThat(counts).isEmpty();
    }

    @Test
    @DisplayName("with the cache on, a warm verify makes no request; a revoke through this container counts at once")
    void warmCacheMakesNoRequestAndRevocationStillWins() {
        String key = create(Optional.empty());
        ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(5), 100, clock);
        VerifyApiKey verify = verifier(cache);
        ManageApiKeys sameContainer = new ManageApiKeys(keys, hasher, cache, ids, random, clock, NO_STEP_UP);
        verify.verify(key, Optional.empty());

        Map<String, Integer> counts = requests(() -> {
            for (int i = 0; i < 10; i++) {
                assertThat(verify.verify(key, Optional.empty()).valid()).isTrue();
            }
        });
        assertThat(counts).isEmpty();

        sameContainer.revoke(owner, dev.latchkey.core.apikey.ApiKeyToken.parse(key).orElseThrow().keyId(),
                Optional.empty(), RequestOrigin.of("203.0.113.9", "req-2"));
        Verification after = verify.verify(key, Optional.empty());
        assertThat(after.failure()).contains(VerificationFailure.REVOKED);
    }
}
