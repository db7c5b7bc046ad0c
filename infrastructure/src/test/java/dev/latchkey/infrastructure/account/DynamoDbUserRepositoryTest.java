package dev.latchkey.infrastructure.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.RegisterUser;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbUserRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:15:30Z");
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

    private static EmulatedTable emulated;
    private static DynamoDbAuditLog auditLog;
    private static DynamoDbUserRepository users;

    private final MutableClock clock = new MutableClock(T0);
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        auditLog = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE,
                java.time.Clock.fixed(T0.plusSeconds(3600), java.time.ZoneOffset.UTC));
        users = new DynamoDbUserRepository(emulated.client(), EmulatedTable.TABLE, auditLog);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private NewAccount account(String email) {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Ada Lovelace", HASH, false, T0, orgId);
        PersonalOrganization org = new PersonalOrganization(orgId, "Ada Lovelace's organization", T0, userId);
        AuditEvent event = AuditEvent.builder(ids, clock).organizationId(orgId).actor(Actor.user(userId))
                .action(RegisterUser.ACTION).target("user", userId).requestId("req-1").sourceIp("203.0.113.10")
                .build();
        return new NewAccount(user, org, event);
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        return emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true).key(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS(pk), LatchkeyTable.SK, AttributeValue.fromS(sk)))).item();
    }

    private static List<Map<String, AttributeValue>> scan() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        emulated.client().scanPaginator(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true))
                .forEach(page -> items.addAll(page.items()));
        return items;
    }

    @Test
    @DisplayName("create writes user, claim, org, membership and audit event with the real key design")
    void createThenItemsHaveTheDesignedKeysAndReadsFindTheUser() {
        NewAccount account = account("Ada.Lovelace@Example.com");
        String userId = account.user().id();
        String orgId = account.organization().id();

        users.create(account);

        Map<String, AttributeValue> profile = item("USER#" + userId, "PROFILE");
        assertThat(profile.get("email").s()).isEqualTo("Ada.Lovelace@Example.com");
        assertThat(profile.get("emailCanonical").s()).isEqualTo("ada.lovelace@example.com");
        assertThat(profile.get("emailMailbox").s()).isEqualTo("Ada.Lovelace@example.com");
        assertThat(profile.get("passwordHash").s()).isEqualTo(HASH);
        assertThat(profile.get("emailVerified").bool()).isFalse();
        assertThat(profile.get("personalOrgId").s()).isEqualTo(orgId);
        assertThat(item("EMAIL#ada.lovelace@example.com", "EMAIL").get("userId").s()).isEqualTo(userId);
        Map<String, AttributeValue> org = item("ORG#" + orgId, "ORG");
        assertThat(org.get("name").s()).isEqualTo("Ada Lovelace's organization");
        assertThat(org.get("createdBy").s()).isEqualTo(userId);
        var memberships = emulated.client().query(b -> b.tableName(EmulatedTable.TABLE).indexName(LatchkeyTable.GSI1)
                .keyConditionExpression("gsi1pk = :u")
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS("USER#" + userId)))).items();
        assertThat(memberships).singleElement().satisfies(m -> {
            assertThat(m.get("pk").s()).isEqualTo("ORG#" + orgId);
            assertThat(m.get("sk").s()).isEqualTo("MEMBER#" + userId);
            assertThat(m.get("gsi1sk").s()).isEqualTo("ORG#" + orgId);
            assertThat(m.get("role").s()).isEqualTo("owner");
        });
        assertThat(auditLog.find(orgId, AuditQuery.builder().build()).events()).singleElement()
                .satisfies(e -> assertThat(e.action()).isEqualTo("account.registered"));

        assertThat(users.findById(userId)).contains(account.user());
        assertThat(users.findByEmail("ada.lovelace@example.com")).contains(account.user());
        assertThat(users.findByEmail("nobody@example.com")).isEmpty();
        assertThat(users.findById("usr_00000000000000000000000000")).isEmpty();
    }

    @Test
    void createWhenAccountHasNoPasswordThenNoHashAttributeAndReadBackWithoutPassword() {
        NewAccount template = account("passkey.only@example.com");
        User user = template.user();
        User withoutPassword = new User(user.id(), user.email(), user.name(), "", false, T0,
                user.personalOrganizationId());

        users.create(new NewAccount(withoutPassword, template.organization(), template.registered()));

        assertThat(item("USER#" + user.id(), "PROFILE")).doesNotContainKey("passwordHash");
        assertThat(users.findById(user.id())).hasValueSatisfying(found -> {
            assertThat(found).isEqualTo(withoutPassword);
            assertThat(found.hasPassword()).isFalse();
        });
    }

    @Test
    void replacePasswordHashWhenAccountHasNoPasswordThenSetOnceAndNotOverAPassword() {
        NewAccount template = account("passkey.reset@example.com");
        User user = template.user();
        users.create(new NewAccount(new User(user.id(), user.email(), user.name(), "", false, T0,
                user.personalOrganizationId()), template.organization(), template.registered()));

        assertThat(users.replacePasswordHash(user.id(), "", "$argon2id$first")).isTrue();
        assertThat(users.replacePasswordHash(user.id(), "", "$argon2id$second"))
                .as("the account has a password now: 'no password' no longer matches").isFalse();
        assertThat(users.findById(user.id()).orElseThrow().passwordHash()).isEqualTo("$argon2id$first");
    }

    @Test
    @DisplayName("[2.3.3] A taken email is 409 CONFLICT and nothing of the second account is written")
    void createWhenEmailTakenThenConflictAndNothingWritten() {
        users.create(account("taken@example.com"));
        NewAccount second = account("taken@example.com");

        AccountException e = catchThrowableOfType(AccountException.class, () -> users.create(second));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.getMessage()).doesNotContain("taken");
        assertThat(item("USER#" + second.user().id(), "PROFILE")).isEmpty();
        assertThat(item("ORG#" + second.organization().id(), "ORG")).isEmpty();
        assertThat(item("ORG#" + second.organization().id(), "MEMBER#" + second.user().id())).isEmpty();
        assertThat(auditLog.find(second.organization().id(), AuditQuery.builder().build()).events()).isEmpty();
    }

    @Test
    @DisplayName("[2.3.3] Kelvin sign and full-width spellings collide with the ASCII address")
    void createWhenLookAlikeOfTakenEmailThenConflict() {
        users.create(account("kelvin@example.com"));

        for (String lookAlike : List.of("\u212Aelvin@example.com", "ｋｅｌｖｉｎ＠ｅｘａｍｐｌｅ．ｃｏｍ")) {
            assertThatThrownBy(() -> users.create(account(lookAlike))).as(lookAlike)
                    .isInstanceOfSatisfying(AccountException.class,
                            e -> assertThat(e.reason()).isEqualTo(AccountException.Reason.EMAIL_TAKEN));
        }
    }

    @Test
    @DisplayName("[15.4.2] 50 parallel registrations of one email: one user, 49 CONFLICT, one of each item")
    void createWhenFiftyParallelRegistrationsOfOneEmailThenExactlyOneOfEachItem() throws Exception {
        int n = 50;
        List<NewAccount> attempts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            attempts.add(account("race@example.com"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        try {
            for (NewAccount attempt : attempts) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        users.create(attempt);
                        return "created";
                    } catch (LatchkeyException e) {
                        return e.code().name();
                    }
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> future : futures) {
                outcomes.add(future.get());
            }
            assertThat(outcomes).filteredOn("created"::equals).hasSize(1);
            assertThat(outcomes).filteredOn("CONFLICT"::equals).hasSize(n - 1);
        } finally {
            pool.shutdownNow();
        }
        Set<String> userIds = new HashSet<>();
        Set<String> orgIds = new HashSet<>();
        attempts.forEach(a -> {
            userIds.add(a.user().id());
            orgIds.add(a.organization().id());
        });
        List<Map<String, AttributeValue>> items = scan();
        assertThat(items).filteredOn(i -> i.get("pk").s().equals("EMAIL#race@example.com")).hasSize(1);
        assertThat(items).filteredOn(i -> i.get("pk").s().startsWith("USER#")
                && userIds.contains(i.get("pk").s().substring(5))).hasSize(1);
        assertThat(items).filteredOn(i -> i.get("sk").s().equals("ORG")
                && orgIds.contains(i.get("pk").s().substring(4))).hasSize(1);
        assertThat(items).filteredOn(i -> i.get("sk").s().startsWith("MEMBER#")
                && userIds.contains(i.get("sk").s().substring(7))).hasSize(1);
        assertThat(items).filteredOn(i -> i.get("pk").s().startsWith("AUDIT#") && i.containsKey("actorId")
                && userIds.contains(i.get("actorId").s())).hasSize(1);
        String winner = items.stream().filter(i -> i.get("pk").s().equals("EMAIL#race@example.com")).findFirst()
                .orElseThrow().get("userId").s();
        assertThat(users.findByEmail("race@example.com")).hasValueSatisfying(
                u -> assertThat(u.id()).isEqualTo(winner));
    }

    @Test
    void markEmailVerifiedWhenUserHasTheAddressThenSetOnlyThen() {
        NewAccount account = account("verify@example.com");
        users.create(account);
        String userId = account.user().id();

        assertThat(users.markEmailVerified(userId, "other@example.com", T0)).isEmpty();
        assertThat(users.markEmailVerified("usr_00000000000000000000000000", "verify@example.com", T0)).isEmpty();
        assertThat(item("USER#usr_00000000000000000000000000", "PROFILE")).as("no item created by the update")
                .isEmpty();
        assertThat(users.findById(userId).orElseThrow().emailVerified()).isFalse();

        User verified = users.markEmailVerified(userId, "verify@example.com", T0.plusSeconds(5)).orElseThrow();

        assertThat(verified.emailVerified()).isTrue();
        assertThat(users.findById(userId).orElseThrow().emailVerified()).isTrue();
        assertThat(item("USER#" + userId, "PROFILE").get("emailVerifiedAt").s()).isEqualTo("2026-03-12T10:15:35Z");
    }

    @Test
    @DisplayName("[16.5.3] Store failures become 503 StoreUnavailableException, nothing written")
    void everyCallWhenTableMissingThenStoreUnavailable() {
        var broken = new DynamoDbUserRepository(emulated.client(), "no-such-table",
                new DynamoDbAuditLog(emulated.client(), "no-such-table", clock));

        assertThatThrownBy(() -> broken.findById("usr_x")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> broken.findByEmail("a@example.com")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> broken.create(account("a@example.com")))
                .isInstanceOf(StoreUnavailableException.class).hasMessageNotContaining("a@example.com");
        assertThatThrownBy(() -> broken.markEmailVerified("usr_x", "a@example.com", T0))
                .isInstanceOf(StoreUnavailableException.class);
    }

    /** [6.3.8] An unknown address costs the same reads as a known one: login timing reveals nothing. */
    @Test
    void findByEmailWhenUnknownThenSameNumberOfReadsAsWhenKnown() {
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        var counting = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .endpointOverride(emulated.dynoxide().endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(
                        new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                            @Override
                            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution
                                    context, software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                                reads.incrementAndGet();
                            }
                        }))
                .build();
        try (counting) {
            var repository = new DynamoDbUserRepository(counting, EmulatedTable.TABLE, auditLog);
            NewAccount known = account("timing.known@example.com");
            users.create(known);

            assertThat(repository.findByEmail(known.user().email().canonical())).isPresent();
            int knownReads = reads.getAndSet(0);
            assertThat(repository.findByEmail("timing.unknown@example.com")).isEmpty();
            assertThat(reads.get()).isEqualTo(knownReads).isEqualTo(2);
        }
    }
}
