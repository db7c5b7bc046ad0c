package dev.latchkey.core.access;

import static dev.latchkey.core.principal.Permissions.API_KEY_CREATE;
import static dev.latchkey.core.principal.Permissions.API_KEY_DELETE;
import static dev.latchkey.core.principal.Permissions.API_KEY_READ;
import static dev.latchkey.core.principal.Permissions.API_KEY_REVOKE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The endpoint × role matrix at the core level (SECURITY.md "Access control and tenants" [8.2.1], [8.2.2]):
 * each API-key route permission against every kind of caller, allow and deny both asserted, every denial
 * audited in the requested organization.
 */
class AuthorizerTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-authz");

    /** What each kind of caller gets for each route permission: the table in docs/access-control.md. */
    private static final Map<Who, Map<String, Expected>> MATRIX = Map.of(
            Who.OWNER, all(Expected.ALLOWED, Expected.ALLOWED, Expected.ALLOWED, Expected.ALLOWED),
            Who.ADMIN, all(Expected.ALLOWED, Expected.ALLOWED, Expected.ALLOWED, Expected.ALLOWED),
            Who.MEMBER, all(Expected.ALLOWED, Expected.FORBIDDEN, Expected.FORBIDDEN, Expected.FORBIDDEN),
            Who.VIEWER, all(Expected.FORBIDDEN, Expected.FORBIDDEN, Expected.FORBIDDEN, Expected.FORBIDDEN),
            Who.KEY_WITH_PERMISSION, all(Expected.ALLOWED, Expected.ALLOWED, Expected.ALLOWED, Expected.ALLOWED),
            Who.KEY_WITHOUT_PERMISSION,
            all(Expected.FORBIDDEN, Expected.FORBIDDEN, Expected.FORBIDDEN, Expected.FORBIDDEN),
            Who.OTHER_ORG_MEMBER, all(Expected.NOT_FOUND, Expected.NOT_FOUND, Expected.NOT_FOUND, Expected.NOT_FOUND),
            Who.OTHER_ORG_KEY, all(Expected.NOT_FOUND, Expected.NOT_FOUND, Expected.NOT_FOUND, Expected.NOT_FOUND));

    private final MutableClock clock = new MutableClock(T0);
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
    private final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    private final InMemoryMembershipDirectory memberships = new InMemoryMembershipDirectory();
    private final Authorizer authorizer = new Authorizer(memberships, new OrganizationMfaPolicy(userId -> false),
            audit, ids, clock);
    private final String organizationId = ids.next(IdPrefix.ORGANIZATION);
    private final String otherOrganizationId = ids.next(IdPrefix.ORGANIZATION);

    enum Who {
        OWNER, ADMIN, MEMBER, VIEWER, KEY_WITH_PERMISSION, KEY_WITHOUT_PERMISSION, OTHER_ORG_MEMBER, OTHER_ORG_KEY
    }

    enum Expected {
        ALLOWED, FORBIDDEN, NOT_FOUND
    }

    private static Map<String, Expected> all(Expected read, Expected create, Expected revoke, Expected delete) {
        return Map.of(API_KEY_READ, read, API_KEY_CREATE, create, API_KEY_REVOKE, revoke, API_KEY_DELETE, delete);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (String permission : List.of(API_KEY_READ, API_KEY_CREATE, API_KEY_REVOKE, API_KEY_DELETE)) {
            for (Who who : Who.values()) {
                cases.add(Arguments.of(permission, who, MATRIX.get(who).get(permission)));
            }
        }
        return cases.stream();
    }

    private Caller caller(Who who, String permission) {
        String userId = ids.next(IdPrefix.USER);
        String sessionId = ids.next(IdPrefix.SESSION);
        switch (who) {
            case OWNER:
            case ADMIN:
            case MEMBER:
            case VIEWER:
                memberships.put(organizationId, userId, Role.valueOf(who.name()));
                return new Caller.User(userId, sessionId);
            case KEY_WITH_PERMISSION:
                return new Caller.ApiKey(ids.next(IdPrefix.API_KEY), organizationId, Set.of(permission, "read_models"));
            case KEY_WITHOUT_PERMISSION:
                Set<String> others = new HashSet<>(Set.of(API_KEY_READ, API_KEY_CREATE, API_KEY_REVOKE,
                        API_KEY_DELETE, "read_models"));
                others.remove(permission);
                return new Caller.ApiKey(ids.next(IdPrefix.API_KEY), organizationId, others);
            case OTHER_ORG_MEMBER:
                memberships.put(otherOrganizationId, userId, Role.OWNER);
                return new Caller.User(userId, sessionId);
            case OTHER_ORG_KEY:
                return new Caller.ApiKey(ids.next(IdPrefix.API_KEY), otherOrganizationId, Permissions.LATCHKEY);
            default:
                throw new IllegalArgumentException(who.name());
        }
    }

    @ParameterizedTest(name = "{0} × {1} → {2}")
    @MethodSource("matrix")
    @DisplayName("[8.2.1] endpoint × role matrix for the API-key routes")
    void authorizeWhenMatrixThenAllowedForbiddenOrNotFound(String permission, Who who, Expected expected) {
        Caller caller = caller(who, permission);

        Throwable thrown = catchThrowable(() -> authorizer.authorize(caller, organizationId, permission, ORIGIN));

        if (expected == Expected.ALLOWED) {
            assertThat(thrown).isNull();
            OrgAccess access = authorizer.authorize(caller, organizationId, permission, ORIGIN);
            assertThat(access.organizationId()).isEqualTo(organizationId);
            assertThat(access.caller()).isEqualTo(caller);
            assertThat(access.held()).contains(permission);
            assertThat(audit.events(Authorizer.DENIED)).isEmpty();
            return;
        }
        assertThat(thrown).isInstanceOf(AccessException.class);
        AccessException e = (AccessException) thrown;
        String reason;
        if (expected == Expected.FORBIDDEN) {
            assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            assertThat(e.code().status()).isEqualTo(403);
            assertThat(e.details()).containsEntry("permission", permission);
            reason = "MISSING_PERMISSION";
        } else {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.code().status()).isEqualTo(404);
            assertThat(e.details()).isEmpty();
            reason = "NOT_A_MEMBER";
        }
        assertThat(audit.events(Authorizer.DENIED)).singleElement().satisfies(event -> {
            assertThat(event.organizationId()).contains(organizationId);
            assertThat(event.actor()).isEqualTo(caller.actor());
            assertThat(event.target().map(t -> t.type() + "/" + t.id())).contains("organization/" + organizationId);
            assertThat(event.outcome()).isEqualTo(Outcome.FAILURE);
            assertThat(event.occurredAt()).isEqualTo(T0);
            assertThat(event.sourceIp()).contains("203.0.113.10");
            assertThat(event.requestId()).isEqualTo("req-authz");
            assertThat(event.details()).isEqualTo(Map.of("permission", permission, "reason", reason));
        });
        assertThat(audit.events()).as("one event in all, in the requested organization").hasSize(1);
    }

    @Test
    @DisplayName("every role gets exactly its own permissions over all Latchkey permissions")
    void authorizeWhenEveryRoleAndPermissionThenAsRoleDefines() {
        for (Role role : Role.values()) {
            String userId = ids.next(IdPrefix.USER);
            memberships.put(organizationId, userId, role);
            Caller caller = new Caller.User(userId, ids.next(IdPrefix.SESSION));
            for (String permission : Permissions.LATCHKEY) {
                Throwable thrown = catchThrowable(() -> authorizer.authorize(caller, organizationId, permission,
                        ORIGIN));
                if (role.permissions().contains(permission)) {
                    assertThat(thrown).as("%s may %s", role, permission).isNull();
                } else {
                    assertThat(thrown).as("%s may not %s", role, permission).isInstanceOfSatisfying(
                            AccessException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
                }
            }
        }
        int denials = Role.values().length * Permissions.LATCHKEY.size()
                - Stream.of(Role.values()).mapToInt(r -> r.permissions().size()).sum();
        assertThat(audit.events(Authorizer.DENIED)).hasSize(denials);
    }

    @Test
    @DisplayName("a user holds their role's permissions; a key holds its own, organization scopes included")
    void authorizeWhenAllowedThenHeldIsRoleOrKeyPermissions() {
        String userId = ids.next(IdPrefix.USER);
        memberships.put(organizationId, userId, Role.MEMBER);
        Caller.ApiKey key = new Caller.ApiKey(ids.next(IdPrefix.API_KEY), organizationId,
                Set.of(API_KEY_READ, "read_models"));

        OrgAccess user = authorizer.authorize(new Caller.User(userId, ids.next(IdPrefix.SESSION)), organizationId,
                API_KEY_READ, ORIGIN);
        OrgAccess byKey = authorizer.authorize(key, organizationId, API_KEY_READ, ORIGIN);

        assertThat(user.held()).isEqualTo(Role.MEMBER.permissions());
        assertThat(byKey.held()).containsExactlyInAnyOrder(API_KEY_READ, "read_models");
    }

    @Test
    @DisplayName("[8.2.2] a malformed organization id is 404 without an event or a membership read")
    void authorizeWhenMalformedOrganizationIdThenNotFoundWithoutEvent() {
        String userId = ids.next(IdPrefix.USER);
        memberships.put(organizationId, userId, Role.OWNER);
        Caller user = new Caller.User(userId, ids.next(IdPrefix.SESSION));
        Caller key = new Caller.ApiKey(ids.next(IdPrefix.API_KEY), organizationId, Permissions.LATCHKEY);
        List<String> malformed = new ArrayList<>(List.of("", "org_", "org_123", organizationId + "0",
                organizationId.substring(0, organizationId.length() - 1), organizationId.toLowerCase(Locale.ROOT),
                "usr_" + organizationId.substring(4), " " + organizationId, organizationId + "\n",
                "../" + organizationId, "org_" + "0".repeat(27), "ORG_" + organizationId.substring(4)));
        malformed.add(null);

        for (String bad : malformed) {
            for (Caller caller : List.of(user, key)) {
                assertThatThrownBy(() -> authorizer.authorize(caller, bad, API_KEY_READ, ORIGIN))
                        .isInstanceOfSatisfying(AccessException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            }
        }
        assertThat(audit.events()).isEmpty();
        assertThat(memberships.reads()).isZero();
    }

    @Test
    @DisplayName("a demotion or removal counts on the next request (the role is read each time)")
    void authorizeWhenDemotedOrRemovedThenNextRequestDenied() {
        String userId = ids.next(IdPrefix.USER);
        Caller caller = new Caller.User(userId, ids.next(IdPrefix.SESSION));
        memberships.put(organizationId, userId, Role.ADMIN);
        assertThat(authorizer.authorize(caller, organizationId, API_KEY_CREATE, ORIGIN).held())
                .contains(API_KEY_CREATE);

        memberships.put(organizationId, userId, Role.VIEWER);
        assertThatThrownBy(() -> authorizer.authorize(caller, organizationId, API_KEY_CREATE, ORIGIN))
                .isInstanceOfSatisfying(AccessException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));

        memberships.remove(organizationId, userId);
        assertThatThrownBy(() -> authorizer.authorize(caller, organizationId, API_KEY_READ, ORIGIN))
                .isInstanceOfSatisfying(AccessException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(audit.events(Authorizer.DENIED)).extracting(event -> event.details().get("reason"))
                .containsExactly("MISSING_PERMISSION", "NOT_A_MEMBER");
    }

    @Test
    @DisplayName("[8.2.2] a stranger gets the same 404 for an existing and a made-up organization")
    void authorizeWhenStrangerThenSameNotFoundForExistingAndUnknownOrganization() {
        String userId = ids.next(IdPrefix.USER);
        memberships.put(organizationId, ids.next(IdPrefix.USER), Role.OWNER);
        Caller stranger = new Caller.User(userId, ids.next(IdPrefix.SESSION));

        AccessException existing = (AccessException) catchThrowable(() -> authorizer.authorize(stranger, organizationId,
                API_KEY_READ, ORIGIN));
        AccessException unknown = (AccessException) catchThrowable(() -> authorizer.authorize(stranger,
                ids.next(IdPrefix.ORGANIZATION), API_KEY_READ, ORIGIN));

        assertThat(existing.code()).isEqualTo(unknown.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(existing.getMessage()).isEqualTo(unknown.getMessage());
        assertThat(existing.details()).isEqualTo(unknown.details());
    }

    @Test
    @DisplayName("an event without a source address still records the denial")
    void authorizeWhenNoSourceIpThenEventWithoutIp() {
        Caller key = new Caller.ApiKey(ids.next(IdPrefix.API_KEY), organizationId, Set.of());

        catchThrowable(() -> authorizer.authorize(key, organizationId, API_KEY_READ, RequestOrigin.of("", "r")));

        AuditEvent event = audit.events(Authorizer.DENIED).get(0);
        assertThat(event.sourceIp()).isEmpty();
        assertThat(event.requestId()).isEqualTo("r");
    }

    @Test
    @DisplayName("a route permission that is not Latchkey's is a programming error")
    void authorizeWhenNotLatchkeyPermissionThenIllegalArgument() {
        Caller key = new Caller.ApiKey(ids.next(IdPrefix.API_KEY), organizationId, Set.of("read_models"));

        assertThatThrownBy(() -> authorizer.authorize(key, organizationId, "read_models", ORIGIN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(audit.events()).isEmpty();
    }

    @Test
    @DisplayName("[16.5.3] the membership store failing fails the request closed")
    void authorizeWhenMembershipStoreFailsThenThrows() {
        memberships.failWith(new StoreUnavailableException(new IOException("down")));
        Caller user = new Caller.User(ids.next(IdPrefix.USER), ids.next(IdPrefix.SESSION));

        assertThatThrownBy(() -> authorizer.authorize(user, organizationId, API_KEY_READ, ORIGIN))
                .isInstanceOf(StoreUnavailableException.class);
    }
}
