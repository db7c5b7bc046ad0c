package dev.latchkey.infrastructure.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.access.Authorizer;
import dev.latchkey.core.access.Membership;
import dev.latchkey.core.access.MfaRequiredException;
import dev.latchkey.core.access.OrganizationMfaPolicy;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.mfa.PendingTotp;
import dev.latchkey.core.mfa.TotpFactor;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.mfa.DynamoDbMfaRepository;
import dev.latchkey.infrastructure.org.DynamoDbOrganizationRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An organization's {@code require_mfa} on the real key design (issue 14 item 5): the organization adapter writes
 * {@code requireMfa} on the organization item with its audit event; the membership directory reads the role and
 * the policy in one consistent {@code BatchGetItem}; the {@link Authorizer} over them and the MFA items answers
 * 403 {@code MFA_REQUIRED} / 401 / allowed as docs/mfa.md says.
 */
class OrganizationMfaPolicyOnTableTest {

    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-policy");
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();

    private static EmulatedTable emulated;
    private static MutableClock clock;
    private static SortableIdGenerator ids;
    private static DynamoDbAuditLog audit;
    private static DynamoDbOrganizationRepository organizations;
    private static DynamoDbMembershipDirectory directory;
    private static DynamoDbMfaRepository factors;
    private static Authorizer authorizer;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        ids = new SortableIdGenerator(clock, new SecureRandom());
        audit = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE, clock);
        organizations = new DynamoDbOrganizationRepository(emulated.client(), EmulatedTable.TABLE, audit);
        directory = new DynamoDbMembershipDirectory(emulated.countingClient(REQUESTS), EmulatedTable.TABLE);
        factors = new DynamoDbMfaRepository(emulated.client(), EmulatedTable.TABLE);
        authorizer = new Authorizer(directory, new OrganizationMfaPolicy(u -> factors.findTotp(u).isPresent()),
                audit, ids, clock);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private static AuditEvent event(String organizationId, String userId, String action) {
        return AuditEvent.builder(ids, clock).organizationId(organizationId).actor(Actor.user(userId)).action(action)
                .target("organization", organizationId).requestId("req-test").build();
    }

    private static Caller.User signedIn(String userId, List<String> amr) {
        return new Caller.User(userId, ids.next(IdPrefix.SESSION), amr, Optional.of(clock.instant()));
    }

    @Test
    void requireMfaWhenWrittenThenReadWithTheMembershipInOneRequestAndEnforcedByTheAuthorizer() {
        String owner = ids.next(IdPrefix.USER);
        Organization organization = new Organization(ids.next(IdPrefix.ORGANIZATION), "Acme", false,
                clock.instant(), owner, 0);
        organizations.create(organization, new Member(organization.id(), owner, Role.OWNER, clock.instant()),
                event(organization.id(), owner, "org.created"));

        REQUESTS.clear();
        assertThat(directory.membership(organization.id(), owner)).contains(new Membership(Role.OWNER, false));
        assertThat(REQUESTS).containsOnlyKeys("BatchGetItem");
        assertThat(REQUESTS.get("BatchGetItem").get()).isEqualTo(1);
        assertThat(directory.membership(organization.id(), ids.next(IdPrefix.USER))).isEmpty();

        organizations.update(organization.withRequireMfa(true),
                List.of(event(organization.id(), owner, "org.mfa_policy_changed")));
        assertThat(organizations.find(organization.id())).hasValueSatisfying(o -> {
            assertThat(o.requireMfa()).isTrue();
            assertThat(o.name()).isEqualTo("Acme");
        });
        assertThat(directory.membership(organization.id(), owner)).contains(new Membership(Role.OWNER, true));
        assertThat(audit.find(organization.id(), AuditQuery.builder().action("org.mfa_policy_changed").build())
                .events()).hasSize(1);

        Throwable noFactor = catchThrowable(() -> authorizer.authorize(signedIn(owner, List.of("pwd")),
                organization.id(), Permissions.ORG_READ, ORIGIN));
        assertThat(noFactor).isInstanceOfSatisfying(MfaRequiredException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MFA_REQUIRED));

        SealedSecret secret = SealedSecret.of(new byte[] {7, 7, 7});
        factors.savePending(new PendingTotp(owner, secret, clock.instant(), clock.instant().plusSeconds(600)));
        assertThat(factors.activate(new TotpFactor(owner, secret, clock.instant(), Optional.empty(), 0), List.of()))
                .isTrue();
        Throwable notUsed = catchThrowable(() -> authorizer.authorize(signedIn(owner, List.of("pwd")),
                organization.id(), Permissions.ORG_READ, ORIGIN));
        assertThat(notUsed).isInstanceOfSatisfying(MfaRequiredException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(e.headers().get("www-authenticate")).contains("insufficient_user_authentication");
        });
        assertThat(authorizer.authorize(signedIn(owner, List.of("pwd", "otp", "mfa")), organization.id(),
                Permissions.ORG_READ, ORIGIN).organizationId()).isEqualTo(organization.id());
        assertThat(audit.find(organization.id(), AuditQuery.builder().action(Authorizer.DENIED).build()).events())
                .extracting(e -> e.details().get("reason"))
                .containsExactlyInAnyOrder("MFA_NOT_ENROLLED", "MFA_NOT_USED");

        organizations.update(organization.withRequireMfa(false),
                List.of(event(organization.id(), owner, "org.mfa_policy_changed")));
        assertThat(directory.membership(organization.id(), owner)).contains(new Membership(Role.OWNER, false));
    }
}
