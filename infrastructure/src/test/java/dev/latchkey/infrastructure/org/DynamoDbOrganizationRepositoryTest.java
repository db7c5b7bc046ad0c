package dev.latchkey.infrastructure.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.access.OrganizationMfaPolicy;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.Membership;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.ApplicationException;
import dev.latchkey.core.application.TestApplications;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyException;
import dev.latchkey.core.apikey.ApiKeySecrets;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.client.ClientException;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.mail.RecordingMailer;
import dev.latchkey.core.org.Invitation;
import dev.latchkey.core.org.Invitations;
import dev.latchkey.core.org.ManageMembers;
import dev.latchkey.core.org.ManageOrganizations;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.org.MemberPage;
import dev.latchkey.core.org.OrgException;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.org.OrganizationContents;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.principal.SensitiveOperations;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.apikey.DynamoDbApiKeyRepository;
import dev.latchkey.infrastructure.application.DynamoDbApplications;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.client.DynamoDbClientRepository;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link DynamoDbOrganizationRepository} against the emulated table with the real key design, through the use
 * cases where a rule matters: memberships for {@code GET /v1/users/me}, pagination, the last owner under parallel
 * demotions, parallel accepts, a delete racing an invitation, an API key or a client, and a removal taking team
 * memberships and grants.
 */
class DynamoDbOrganizationRepositoryTest {

    /** The step-up is not this test's subject (see the core use-case tests): the table is. */
    private static final SensitiveOperations NO_STEP_UP = user -> { };

    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-1");
    private static final Pattern TOKEN = Pattern.compile("lki_[A-Za-z0-9_-]{43}");

    private static EmulatedTable table;
    private static MutableClock clock;
    private static SortableIdGenerator ids;
    private static DynamoDbAuditLog auditLog;
    private static DynamoDbUserRepository users;
    private static DynamoDbOrganizationRepository repository;
    private static RecordingMailer mailer;
    private static ManageOrganizations organizations;
    private static ManageMembers members;
    private static Invitations invitations;
    private static DynamoDbApiKeyRepository apiKeys;
    private static DynamoDbClientRepository clients;
    private static DynamoDbApplications applications;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        ids = new SortableIdGenerator(clock, new SecureRandom());
        auditLog = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, clock);
        users = new DynamoDbUserRepository(table.client(), EmulatedTable.TABLE, auditLog);
        repository = new DynamoDbOrganizationRepository(table.client(), EmulatedTable.TABLE, auditLog);
        mailer = new RecordingMailer();
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
        organizations = new ManageOrganizations(repository, limiter, ManageOrganizations.DEFAULT_CREATE_LIMIT, ids,
                clock, NO_STEP_UP, new OrganizationMfaPolicy(userId -> false));
        members = new ManageMembers(repository, ids, clock, NO_STEP_UP);
        apiKeys = new DynamoDbApiKeyRepository(table.client(), EmulatedTable.TABLE, auditLog);
        clients = new DynamoDbClientRepository(table.client(), EmulatedTable.TABLE, auditLog);
        applications = new DynamoDbApplications(table.client(), EmulatedTable.TABLE, auditLog);
        invitations = new Invitations(repository, users, mailer, limiter, Invitations.DEFAULT_INVITE_LIMIT, ids,
                new SecureRandom(), clock, URI.create("https://id.example.com"), NO_STEP_UP);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    /** An account as registration makes it, verified; answers its user id. */
    private static String user(String email) {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        Instant now = clock.instant();
        User user = new User(userId, EmailAddress.parse(email), "Test", "$argon2id$unused", false, now, orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Test's organization", now, userId),
                AuditEvent.builder(ids, clock).organizationId(orgId).actor(Actor.user(userId))
                        .action("account.registered").requestId("test").build()));
        users.markEmailVerified(userId, user.email().canonical(), now);
        return userId;
    }

    private static OrgAccess as(String organizationId, String userId, Role role) {
        return new OrgAccess(organizationId, new Caller.User(userId, ids.next(IdPrefix.SESSION)), role.permissions());
    }

    private static Organization organization(String ownerId) {
        return organizations.create(ownerId, "Acme", ORIGIN);
    }

    private static void join(String organizationId, String userId, Role role) {
        table.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(DynamoDbOrganizationRepository.memberItem(
                new Member(organizationId, userId, role, clock.instant()))));
    }

    private static String lastToken() {
        Matcher matcher = TOKEN.matcher(mailer.latest(Invitations.MAIL_PURPOSE).orElseThrow().text());
        assertThat(matcher.find()).isTrue();
        return matcher.group();
    }

    private static void putItem(String pk, String sk) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LatchkeyTable.PK, AttributeValue.fromS(pk));
        item.put(LatchkeyTable.SK, AttributeValue.fromS(sk));
        table.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(item));
    }

    private static boolean exists(String pk, String sk) {
        return table.client().getItem(g -> g.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(dev.latchkey.infrastructure.dynamodb.Keys.key(pk, sk))).hasItem();
    }

    private static List<String> actions(String organizationId) {
        return auditLog.find(organizationId, AuditQuery.builder().limit(100).build()).events().stream()
                .map(AuditEvent::action).toList();
    }

    @Test
    void createWhenNewThenReadableAndListedWithNameAndRoleAlsoForUsersMe() {
        String owner = user("create.owner@example.com");
        Organization created = organization(owner);

        assertThat(repository.find(created.id())).contains(created);
        assertThat(repository.member(created.id(), owner)).hasValueSatisfying(m ->
                assertThat(m.role()).isEqualTo(Role.OWNER));
        assertThat(repository.organizationsOf(owner)).extracting(m -> m.organization().name() + "/" + m.role()
                + "/" + m.organization().personal()).contains("Acme/OWNER/false", "Test's organization/OWNER/true");
        assertThat(users.memberships(owner)).contains(new Membership(created.id(), "Acme", "owner"));
        assertThat(actions(created.id())).containsExactly("org.created");
        organizations.rename(as(created.id(), owner, Role.OWNER), "Acme Ltd", ORIGIN);
        assertThat(users.memberships(owner)).contains(new Membership(created.id(), "Acme Ltd", "owner"));
        assertThatThrownBy(() -> repository.update(new Organization("org_01JD3ZK8W6Q4V8S2M9N7T5R3P1", "x", false,
                created.createdAt(), owner, 0), List.of(AuditEvent.builder(ids, clock)
                        .organizationId("org_01JD3ZK8W6Q4V8S2M9N7T5R3P1").actor(Actor.user(owner))
                        .action("org.renamed").requestId("r").build()))).isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void membersWhenSeveralPagesThenEveryMemberOnceInUserIdOrder() {
        String owner = user("pages.owner@example.com");
        Organization org = organization(owner);
        List<String> expected = new ArrayList<>(List.of(owner));
        for (int i = 0; i < 5; i++) {
            String id = ids.next(IdPrefix.USER);
            join(org.id(), id, Role.VIEWER);
            expected.add(id);
        }
        List<String> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            MemberPage page = members.list(as(org.id(), owner, Role.OWNER), 2, cursor);
            assertThat(page.members().size()).isLessThanOrEqualTo(2);
            page.members().forEach(m -> seen.add(m.userId()));
            cursor = page.nextCursor();
        } while (cursor.isPresent());
        assertThat(seen).containsExactlyElementsOf(expected.stream().sorted().toList());
    }

    @Test
    void changeRoleWhenTheLastTwoOwnersAreDemotedInParallelThenExactlyOneOwnerRemains() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                String a = user("race.a" + round + "@example.com");
                String b = user("race.b" + round + "@example.com");
                Organization org = organization(a);
                join(org.id(), b, Role.OWNER);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Throwable>> results = new ArrayList<>();
                for (String who : List.of(a, b)) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return catchThrowable(() -> members.changeRole(as(org.id(), who, Role.OWNER), who, "admin",
                                ORIGIN));
                    }));
                }
                go.countDown();
                List<Throwable> failures = new ArrayList<>();
                for (Future<Throwable> result : results) {
                    Throwable failure = result.get();
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
                assertThat(repository.owners(org.id())).as("round " + round).hasSize(1);
                assertThat(failures).as("round " + round).hasSize(1);
                assertThat(failures.get(0)).isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.details().get("reason")).isIn("LAST_OWNER", "CONCURRENT_CHANGE"));
                assertThat(actions(org.id()).stream().filter("member.role_changed"::equals)).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removeMemberWhenTeamMembershipsAndGrantsExistThenTheyGoInTheSameTransaction() {
        String owner = user("remove.owner@example.com");
        Organization org = organization(owner);
        String member = ids.next(IdPrefix.USER);
        String other = ids.next(IdPrefix.USER);
        join(org.id(), member, Role.MEMBER);
        join(org.id(), other, Role.MEMBER);
        String pk = "ORG#" + org.id();
        putItem(pk, "TEAMMEMBER#" + member + "#team_01JD3ZK8W6Q4V8S2M9N7T5R3P1");
        putItem(pk, "TEAMMEMBER#" + member + "#team_01JD3ZK8W6Q4V8S2M9N7T5R3P2");
        putItem(pk, "TEAMMEMBER#" + other + "#team_01JD3ZK8W6Q4V8S2M9N7T5R3P1");
        putItem(pk, "GRANT#res_01JD3ZK8W6Q4V8S2M9N7T5R3P1#" + member);
        putItem(pk, "GRANT#res_01JD3ZK8W6Q4V8S2M9N7T5R3P1#" + other);
        putItem(pk, "GRANT#res_01JD3ZK8W6Q4V8S2M9N7T5R3P2#" + member);

        members.remove(as(org.id(), owner, Role.OWNER), member, ORIGIN);

        assertThat(repository.member(org.id(), member)).isEmpty();
        assertThat(exists(pk, "TEAMMEMBER#" + member + "#team_01JD3ZK8W6Q4V8S2M9N7T5R3P1")).isFalse();
        assertThat(exists(pk, "TEAMMEMBER#" + member + "#team_01JD3ZK8W6Q4V8S2M9N7T5R3P2")).isFalse();
        assertThat(exists(pk, "GRANT#res_01JD3ZK8W6Q4V8S2M9N7T5R3P1#" + member)).isFalse();
        assertThat(exists(pk, "GRANT#res_01JD3ZK8W6Q4V8S2M9N7T5R3P2#" + member)).isFalse();
        assertThat(exists(pk, "TEAMMEMBER#" + other + "#team_01JD3ZK8W6Q4V8S2M9N7T5R3P1")).isTrue();
        assertThat(exists(pk, "GRANT#res_01JD3ZK8W6Q4V8S2M9N7T5R3P1#" + other)).isTrue();
        assertThat(actions(org.id())).contains("member.removed");
        assertThatThrownBy(() -> members.remove(as(org.id(), owner, Role.OWNER), owner, ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.details()).containsEntry("reason", "LAST_OWNER"));
    }

    @Test
    void acceptWhenTheSameTokenIsAcceptedInParallelThenExactlyOneMembership() throws Exception {
        String owner = user("accept.owner@example.com");
        String invitee = user("accept.invitee@example.com");
        Organization org = organization(owner);
        Invitation invitation = invitations.invite(as(org.id(), owner, Role.OWNER), "accept.invitee@example.com",
                "member", ORIGIN).invitation();
        String token = lastToken();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Throwable>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return catchThrowable(() -> invitations.accept(invitee, token, ORIGIN));
                }));
            }
            go.countDown();
            int successes = 0;
            for (Future<Throwable> result : results) {
                Throwable failure = result.get();
                if (failure == null) {
                    successes++;
                } else {
                    assertThat(failure).isInstanceOfSatisfying(LatchkeyException.class, e ->
                            assertThat(e.code()).isIn(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT));
                }
            }
            assertThat(successes).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(repository.member(org.id(), invitee)).hasValueSatisfying(m ->
                assertThat(m.role()).isEqualTo(Role.MEMBER));
        assertThat(repository.invitation(org.id(), invitation.id()).orElseThrow().state().name())
                .isEqualTo("ACCEPTED");
        assertThat(exists("INVITATION#" + invitation.tokenHash(), "INVITATION")).isFalse();
        assertThat(actions(org.id()).stream().filter("invitation.accepted"::equals)).hasSize(1);
        assertThat(users.memberships(invitee)).contains(new Membership(org.id(), "Acme", "member"));
    }

    @Test
    void inviteWhenAnOpenInvitationForTheAddressExistsThenConflictAndAfterRevokeAllowed() {
        String owner = user("invite.owner@example.com");
        Organization org = organization(owner);
        OrgAccess access = as(org.id(), owner, Role.OWNER);
        Invitation first = invitations.invite(access, "someone@example.com", "viewer", ORIGIN).invitation();

        assertThatThrownBy(() -> invitations.invite(access, "SOMEONE@example.com", "member", ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.details()).containsEntry("reason", "ALREADY_INVITED"));
        invitations.revoke(access, first.id(), ORIGIN);
        assertThat(exists("INVITATION#" + first.tokenHash(), "INVITATION")).isFalse();
        assertThat(invitations.invite(access, "someone@example.com", "member", ORIGIN).invitation().role())
                .isEqualTo(Role.MEMBER);
        assertThat(repository.openInvitations(org.id(), clock.instant())).isEqualTo(1);
        assertThat(actions(org.id())).contains("invitation.created", "invitation.revoked");
    }

    @Test
    void deleteWhenAnInvitationIsCreatedAfterTheContentsWereReadThenConcurrentChange() {
        String owner = user("delete.race@example.com");
        Organization org = organization(owner);
        OrganizationContents seen = repository.contents(org.id());
        invitations.invite(as(org.id(), owner, Role.OWNER), "late@example.com", "member", ORIGIN);

        assertThatThrownBy(() -> repository.delete(seen, Optional.of(owner), AuditEvent.builder(ids, clock)
                .organizationId(org.id()).actor(Actor.user(owner)).action("org.deleted").requestId("r").build()))
                .isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.details()).containsEntry("reason", "CONCURRENT_CHANGE"));
        assertThat(repository.find(org.id())).isPresent();
    }

    /** Stores a new API key in the organization as the api-keys function does (marker and version bump). */
    private static ApiKey createApiKey(String organizationId, String ownerId) {
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        String keyId = ids.next(IdPrefix.API_KEY);
        ApiKey key = new ApiKey(keyId, organizationId, "ci", Optional.empty(), List.of("org:read"), clock.instant(),
                ownerId, Optional.empty(), Optional.empty(), Optional.empty(), ApiKeySecrets.of(hash), 0,
                Optional.empty(), 1);
        apiKeys.create(key, AuditEvent.builder(ids, clock).organizationId(organizationId).actor(Actor.user(ownerId))
                .action("api_key.created").target("api_key", keyId).requestId("r").build());
        return key;
    }

    /** Stores a new service client (no credentials) in the organization as the orgs function does. */
    private static ServiceClient createClient(String organizationId, String ownerId) {
        ServiceClient client = new ServiceClient(ids.next(IdPrefix.CLIENT), organizationId, "billing", List.of(),
                clock.instant(), ownerId, List.of(), List.of());
        clients.create(client, AuditEvent.builder(ids, clock).organizationId(organizationId)
                .actor(Actor.user(ownerId)).action("client.created").target("client", client.clientId())
                .requestId("r").build());
        return client;
    }

    /** Stores a new application in the organization as the orgs function does (with its marker). */
    private static Application createApplication(String organizationId) {
        Application application = TestApplications.confidentialApp().clientId(ids.next(IdPrefix.APPLICATION))
                .organizationId(organizationId).build();
        applications.create(application, AuditEvent.builder(ids, clock).organizationId(organizationId)
                .actor(Actor.system("test")).action("application.created")
                .target("application", application.clientId()).requestId("r").build());
        return application;
    }

    private static AuditEvent deleted(Organization org, String ownerId) {
        return AuditEvent.builder(ids, clock).organizationId(org.id()).actor(Actor.user(ownerId))
                .action("org.deleted").requestId("r").build();
    }

    private static List<Map<String, AttributeValue>> partition(String organizationId) {
        return table.client().query(q -> q.tableName(EmulatedTable.TABLE).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk",
                        AttributeValue.fromS("ORG#" + organizationId)))).items();
    }

    @Test
    void deleteWhenAnApiKeyWasCreatedJustBeforeThenNotEmptyUntilTheKeyIsDeletedAndThenNoKeyCanBeCreated() {
        String owner = user("key.before@example.com");
        Organization org = organization(owner);
        OrgAccess access = as(org.id(), owner, Role.OWNER);
        ApiKey key = createApiKey(org.id(), owner);

        assertThatThrownBy(() -> organizations.delete(access, ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e -> assertThat(e.details().get("remaining"))
                        .isEqualTo(Map.of("api_keys", 1)));
        assertThat(repository.find(org.id())).isPresent();

        apiKeys.delete(key, List.of(), AuditEvent.builder(ids, clock).organizationId(org.id())
                .actor(Actor.user(owner)).action("api_key.deleted").target("api_key", key.id()).requestId("r")
                .build());
        organizations.delete(access, ORIGIN);

        assertThat(repository.find(org.id())).isEmpty();
        assertThat(partition(org.id())).isEmpty();
        assertThatThrownBy(() -> createApiKey(org.id(), owner)).isInstanceOfSatisfying(ApiKeyException.class, e ->
                assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(partition(org.id())).isEmpty();
    }

    @Test
    void deleteWhenAnApiKeyIsCreatedAfterTheContentsWereReadThenConcurrentChangeAndTheKeyKeepsItsOrganization() {
        String owner = user("key.during@example.com");
        Organization org = organization(owner);
        OrganizationContents seen = repository.contents(org.id());
        ApiKey key = createApiKey(org.id(), owner);

        assertThatThrownBy(() -> repository.delete(seen, Optional.of(owner), deleted(org, owner)))
                .isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.details()).containsEntry("reason", "CONCURRENT_CHANGE"));
        assertThat(repository.find(org.id())).isPresent();
        assertThat(apiKeys.find(key.id())).isPresent();
        assertThat(repository.contents(org.id()).remaining(owner)).isEqualTo(Map.of("api_keys", 1));
    }

    @Test
    void deleteWhenAClientWasCreatedJustBeforeThenNotEmptyUntilTheClientIsDeletedAndThenNoClientCanBeCreated() {
        String owner = user("client.before@example.com");
        Organization org = organization(owner);
        OrgAccess access = as(org.id(), owner, Role.OWNER);
        ServiceClient client = createClient(org.id(), owner);

        assertThatThrownBy(() -> organizations.delete(access, ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e -> assertThat(e.details().get("remaining"))
                        .isEqualTo(Map.of("clients", 1)));
        assertThat(repository.find(org.id())).isPresent();

        clients.delete(client, AuditEvent.builder(ids, clock).organizationId(org.id()).actor(Actor.user(owner))
                .action("client.deleted").target("client", client.clientId()).requestId("r").build());
        organizations.delete(access, ORIGIN);

        assertThat(repository.find(org.id())).isEmpty();
        assertThat(partition(org.id())).isEmpty();
        assertThatThrownBy(() -> createClient(org.id(), owner)).isInstanceOfSatisfying(ClientException.class, e ->
                assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(partition(org.id())).isEmpty();
    }

    @Test
    void deleteWhenAnApplicationExistsThenNotEmptyUntilItIsDeletedAndThenNoApplicationCanBeCreated() {
        String owner = user("application.before@example.com");
        Organization org = organization(owner);
        OrgAccess access = as(org.id(), owner, Role.OWNER);
        Application application = createApplication(org.id());
        OrganizationContents seen = repository.contents(org.id());
        Application late = createApplication(org.id());

        assertThatThrownBy(() -> repository.delete(seen, Optional.of(owner), deleted(org, owner)))
                .as("an application created after the contents were read moved the version")
                .isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.details()).containsEntry("reason", "CONCURRENT_CHANGE"));
        assertThatThrownBy(() -> organizations.delete(access, ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e -> assertThat(e.details().get("remaining"))
                        .isEqualTo(Map.of("applications", 2)));
        assertThat(repository.find(org.id())).isPresent();

        for (Application app : List.of(application, late)) {
            applications.delete(app, AuditEvent.builder(ids, clock).organizationId(org.id())
                    .actor(Actor.user(owner)).action("application.deleted").target("application", app.clientId())
                    .requestId("r").build());
        }
        organizations.delete(access, ORIGIN);

        assertThat(repository.find(org.id())).isEmpty();
        assertThat(partition(org.id())).isEmpty();
        assertThatThrownBy(() -> createApplication(org.id())).isInstanceOfSatisfying(ApplicationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(partition(org.id())).isEmpty();
    }

    @Test
    void deleteWhenAClientIsCreatedAfterTheContentsWereReadThenConcurrentChangeAndTheClientKeepsItsOrganization() {
        String owner = user("client.during@example.com");
        Organization org = organization(owner);
        OrganizationContents seen = repository.contents(org.id());
        ServiceClient client = createClient(org.id(), owner);

        assertThatThrownBy(() -> repository.delete(seen, Optional.of(owner), deleted(org, owner)))
                .isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.details()).containsEntry("reason", "CONCURRENT_CHANGE"));
        assertThat(repository.find(org.id())).isPresent();
        assertThat(clients.find(client.clientId())).isPresent();
        assertThat(repository.contents(org.id()).remaining(owner)).isEqualTo(Map.of("clients", 1));
    }

    @Test
    void deleteAndApiKeyOrClientCreateInParallelThenNeverAKeyOrClientWithoutItsOrganization() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 8; round++) {
                String owner = user("parallel.delete" + round + "@example.com");
                Organization org = organization(owner);
                OrgAccess access = as(org.id(), owner, Role.OWNER);
                CountDownLatch go = new CountDownLatch(1);
                Future<Object> key = pool.submit(() -> {
                    go.await();
                    try {
                        return createApiKey(org.id(), owner);
                    } catch (ApiKeyException e) {
                        return e;
                    }
                });
                Future<Object> client = pool.submit(() -> {
                    go.await();
                    try {
                        return createClient(org.id(), owner);
                    } catch (ClientException e) {
                        return e;
                    }
                });
                Future<Throwable> delete = pool.submit(() -> {
                    go.await();
                    return catchThrowable(() -> organizations.delete(access, ORIGIN));
                });
                go.countDown();
                Object keyResult = key.get();
                Object clientResult = client.get();
                Throwable deleteFailure = delete.get();
                String label = "round " + round;
                if (deleteFailure == null) {
                    assertThat(repository.find(org.id())).as(label).isEmpty();
                    assertThat(keyResult).as(label).isInstanceOfSatisfying(ApiKeyException.class, e ->
                            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
                    assertThat(clientResult).as(label).isInstanceOfSatisfying(ClientException.class, e ->
                            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
                    assertThat(partition(org.id())).as(label).isEmpty();
                } else {
                    assertThat(deleteFailure).as(label).isInstanceOfSatisfying(OrgException.class, e ->
                            assertThat(e.details().get("reason")).isIn("ORGANIZATION_NOT_EMPTY", "CONCURRENT_CHANGE"));
                    assertThat(repository.find(org.id())).as(label).isPresent();
                }
                if (keyResult instanceof ApiKey created) {
                    assertThat(repository.find(org.id())).as(label).isPresent();
                    assertThat(apiKeys.find(created.id())).as(label).isPresent();
                }
                if (clientResult instanceof ServiceClient created) {
                    assertThat(repository.find(org.id())).as(label).isPresent();
                    assertThat(clients.find(created.clientId())).as(label).isPresent();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deleteWhenEmptyThenOrganizationMembershipAndInvitationsGoAndAuditEventsStay() {
        String owner = user("delete.owner@example.com");
        Organization org = organization(owner);
        OrgAccess access = as(org.id(), owner, Role.OWNER);
        Invitation invitation = invitations.invite(access, "pending@example.com", "member", ORIGIN).invitation();

        organizations.delete(access, ORIGIN);

        assertThat(repository.find(org.id())).isEmpty();
        assertThat(repository.member(org.id(), owner)).isEmpty();
        assertThat(repository.invitation(org.id(), invitation.id())).isEmpty();
        assertThat(exists("INVITATION#" + invitation.tokenHash(), "INVITATION")).isFalse();
        assertThat(table.client().query(q -> q.tableName(EmulatedTable.TABLE).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk",
                        AttributeValue.fromS("ORG#" + org.id())))).items()).isEmpty();
        assertThat(users.memberships(owner)).extracting(Membership::organizationId).doesNotContain(org.id());
        assertThat(actions(org.id())).contains("org.created", "invitation.created", "org.deleted");
    }

    @Test
    void contentsWhenTeamsResourcesGrantsClientsAndKeysExistThenDeleteNamesThemAll() {
        String owner = user("contents.owner@example.com");
        Organization org = organization(owner);
        String pk = "ORG#" + org.id();
        putItem(pk, "TEAM#team_01JD3ZK8W6Q4V8S2M9N7T5R3P1");
        putItem(pk, "RESOURCE#res_01JD3ZK8W6Q4V8S2M9N7T5R3P1");
        putItem(pk, "GRANT#res_01JD3ZK8W6Q4V8S2M9N7T5R3P1#" + owner);
        putItem(pk, "CLIENT#cli_01JD3ZK8W6Q4V8S2M9N7T5R3P1");
        putItem(pk, "APIKEY#key_01JD3ZK8W6Q4V8S2M9N7T5R3P1");
        putItem(pk, "APIKEY#key_01JD3ZK8W6Q4V8S2M9N7T5R3P2");

        assertThatThrownBy(() -> organizations.delete(as(org.id(), owner, Role.OWNER), ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e -> assertThat(e.details().get("remaining"))
                        .isEqualTo(Map.of("teams", 1, "resources", 1, "grants", 1, "clients", 1, "api_keys", 2)));
        assertThat(repository.find(org.id())).isPresent();
    }
}
