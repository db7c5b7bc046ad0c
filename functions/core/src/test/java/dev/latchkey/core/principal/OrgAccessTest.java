package dev.latchkey.core.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.error.ErrorCode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link OrgAccess#requireCanGrant}: "a caller can never grant a permission it lacks" (ARCHITECTURE.md §6). */
class OrgAccessTest {

    private static final String ORG = "org_01JQ0000000000000000000000";
    private static final Caller USER = new Caller.User("usr_01JQ0000000000000000000001",
            "ses_01JQ0000000000000000000002");
    private static final Caller KEY = new Caller.ApiKey("key_01JQ0000000000000000000003", ORG,
            Set.of(Permissions.API_KEY_CREATE, Permissions.API_KEY_READ, "read_models"));

    private static OrgAccess user(Role role) {
        return new OrgAccess(ORG, USER, role.permissions());
    }

    private static OrgAccess key() {
        return new OrgAccess(ORG, KEY, ((Caller.ApiKey) KEY).permissions());
    }

    @Test
    @DisplayName("an admin cannot grant org:delete, and the 403 lists exactly what it may not grant")
    void requireCanGrantWhenAdminGrantsOrgDeleteThenForbidden() {
        assertThatThrownBy(() -> user(Role.ADMIN).requireCanGrant(List.of(Permissions.API_KEY_READ,
                Permissions.ORG_DELETE, "read_models")))
                .isInstanceOfSatisfying(AccessException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.code().status()).isEqualTo(403);
                    assertThat(e.details()).containsEntry("permissions", List.of(Permissions.ORG_DELETE));
                });
    }

    @Test
    @DisplayName("an owner grants every Latchkey permission; an admin every one but org:delete")
    void requireCanGrantWhenOwnerOrAdminThenTheirRolesPermissions() {
        assertThatCode(() -> user(Role.OWNER).requireCanGrant(List.copyOf(Permissions.LATCHKEY)))
                .doesNotThrowAnyException();
        List<String> adminGrants = Permissions.LATCHKEY.stream().filter(p -> !p.equals(Permissions.ORG_DELETE))
                .toList();
        assertThatCode(() -> user(Role.ADMIN).requireCanGrant(adminGrants)).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a member may grant only the read permissions of its role, plus the organization's own scopes")
    void requireCanGrantWhenMemberThenOnlyReadsAndCustomScopes() {
        assertThatCode(() -> user(Role.MEMBER).requireCanGrant(List.of(Permissions.API_KEY_READ, Permissions.ORG_READ,
                "read_models", "run_inference"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> user(Role.MEMBER).requireCanGrant(List.of("read_models", Permissions.API_KEY_CREATE,
                Permissions.MEMBER_INVITE))).isInstanceOfSatisfying(AccessException.class,
                        e -> assertThat(e.details()).containsEntry("permissions",
                                List.of(Permissions.API_KEY_CREATE, Permissions.MEMBER_INVITE)));
    }

    @Test
    @DisplayName("a user grants any of the organization's own scopes (owners and admins define them)")
    void requireCanGrantWhenUserGrantsCustomScopesThenAllowed() {
        for (Role role : Role.values()) {
            assertThatCode(() -> user(role).requireCanGrant(List.of("read_models", "run_inference", "billing:export")))
                    .as(role.text()).doesNotThrowAnyException();
        }
    }

    @Test
    @DisplayName("a key grants only what it holds itself, its organization's scopes included")
    void requireCanGrantWhenKeyThenOnlyWhatItHolds() {
        assertThatCode(() -> key().requireCanGrant(List.of(Permissions.API_KEY_READ, "read_models")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> key().requireCanGrant(List.of("read_models", "run_inference", Permissions.ORG_READ)))
                .isInstanceOfSatisfying(AccessException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.details()).containsEntry("permissions",
                            List.of("run_inference", Permissions.ORG_READ));
                });
    }

    @Test
    @DisplayName("granting nothing is always allowed")
    void requireCanGrantWhenEmptyThenAllowed() {
        assertThatCode(() -> user(Role.VIEWER).requireCanGrant(List.of())).doesNotThrowAnyException();
        assertThatCode(() -> new OrgAccess(ORG, KEY, Set.of()).requireCanGrant(List.of())).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("what is held is copied: later changes to the caller's set do not widen it")
    void heldWhenSourceChangesThenUnchanged() {
        Set<String> source = new HashSet<>(Set.of(Permissions.API_KEY_READ));
        OrgAccess access = new OrgAccess(ORG, KEY, source);
        source.add(Permissions.ORG_DELETE);

        assertThat(access.held()).containsExactly(Permissions.API_KEY_READ);
        assertThatThrownBy(() -> access.held().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
