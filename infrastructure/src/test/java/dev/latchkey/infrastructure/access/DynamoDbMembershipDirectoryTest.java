package dev.latchkey.infrastructure.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.RegisterUser;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbMembershipDirectoryTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:15:30Z");
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

    private static EmulatedTable emulated;
    private static DynamoDbUserRepository users;
    private static DynamoDbMembershipDirectory directory;

    private final MutableClock clock = new MutableClock(T0);
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        DynamoDbAuditLog auditLog = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE,
                Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
        users = new DynamoDbUserRepository(emulated.client(), EmulatedTable.TABLE, auditLog);
        directory = new DynamoDbMembershipDirectory(emulated.client(), EmulatedTable.TABLE);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    /** Registers an account through the user repository: its personal organization with an owner membership. */
    private NewAccount register() {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(userId + "@example.com"), "Ada Lovelace", HASH, false, T0,
                orgId);
        PersonalOrganization org = new PersonalOrganization(orgId, "Ada Lovelace's organization", T0, userId);
        AuditEvent event = AuditEvent.builder(ids, clock).organizationId(orgId).actor(Actor.user(userId))
                .action(RegisterUser.ACTION).target("user", userId).requestId("req-1").build();
        NewAccount account = new NewAccount(user, org, event);
        users.create(account);
        return account;
    }

    /** A membership item of the shape {@link DynamoDbUserRepository} writes. */
    private static void putMembership(String orgId, String userId, String role) {
        emulated.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + orgId),
                LatchkeyTable.SK, AttributeValue.fromS("MEMBER#" + userId),
                LatchkeyTable.GSI1_PK, AttributeValue.fromS("USER#" + userId),
                LatchkeyTable.GSI1_SK, AttributeValue.fromS("ORG#" + orgId),
                "type", AttributeValue.fromS("MEMBERSHIP"),
                "orgId", AttributeValue.fromS(orgId),
                "userId", AttributeValue.fromS(userId),
                "role", AttributeValue.fromS(role),
                "createdAt", AttributeValue.fromS(T0.toString()))));
    }

    @Test
    @DisplayName("a registered user is owner of their personal organization")
    void registeredUserIsOwnerOfPersonalOrganization() {
        NewAccount account = register();

        assertThat(directory.role(account.organization().id(), account.user().id())).contains(Role.OWNER);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    @DisplayName("every role round-trips from its membership item")
    void everyRoleRoundTrips(Role role) {
        NewAccount account = register();
        String memberId = ids.next(IdPrefix.USER);
        putMembership(account.organization().id(), memberId, role.text());

        assertThat(directory.role(account.organization().id(), memberId)).contains(role);
    }

    @Test
    @DisplayName("a non-member, an unknown organization and another organization's member have no role")
    void nonMemberHasNoRole() {
        NewAccount first = register();
        NewAccount second = register();

        assertThat(directory.role(first.organization().id(), second.user().id())).isEmpty();
        assertThat(directory.role(ids.next(IdPrefix.ORGANIZATION), first.user().id())).isEmpty();
        assertThat(directory.role(second.organization().id(), first.user().id())).isEmpty();
    }

    @Test
    @DisplayName("an unknown role text, or none, gives no role (never guessed)")
    void unknownRoleIsNoRole() {
        NewAccount account = register();
        String orgId = account.organization().id();
        String superuser = ids.next(IdPrefix.USER);
        String shouting = ids.next(IdPrefix.USER);
        String roleless = ids.next(IdPrefix.USER);
        putMembership(orgId, superuser, "superuser");
        putMembership(orgId, shouting, "OWNER");
        emulated.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + orgId),
                LatchkeyTable.SK, AttributeValue.fromS("MEMBER#" + roleless))));

        assertThat(directory.role(orgId, superuser)).isEmpty();
        assertThat(directory.role(orgId, shouting)).isEmpty();
        assertThat(directory.role(orgId, roleless)).isEmpty();
    }

    @Test
    @DisplayName("a removed membership counts on the next lookup (consistent read)")
    void removalCountsAtOnce() {
        NewAccount account = register();
        String orgId = account.organization().id();
        String memberId = ids.next(IdPrefix.USER);
        putMembership(orgId, memberId, "admin");
        assertThat(directory.role(orgId, memberId)).contains(Role.ADMIN);

        putMembership(orgId, memberId, "viewer");
        assertThat(directory.role(orgId, memberId)).contains(Role.VIEWER);

        emulated.client().deleteItem(d -> d.tableName(EmulatedTable.TABLE).key(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("ORG#" + orgId),
                LatchkeyTable.SK, AttributeValue.fromS("MEMBER#" + memberId))));
        assertThat(directory.role(orgId, memberId)).isEmpty();
    }

    @Test
    @DisplayName("a store failure is StoreUnavailableException")
    void missingTableThenStoreUnavailable() {
        DynamoDbMembershipDirectory broken = new DynamoDbMembershipDirectory(emulated.client(), "no-such-table");

        assertThatThrownBy(() -> broken.role("org_x", "usr_x")).isInstanceOf(StoreUnavailableException.class);
    }
}
