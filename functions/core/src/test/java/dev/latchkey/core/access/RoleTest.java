package dev.latchkey.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.principal.Permissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The four roles and their permission sets, as {@link Role}'s Javadoc documents them. */
class RoleTest {

    @Test
    @DisplayName("owner: everything")
    void ownerWhenReadThenEveryLatchkeyPermission() {
        assertThat(Role.OWNER.permissions()).isEqualTo(Permissions.LATCHKEY);
    }

    @Test
    @DisplayName("admin: everything but org:delete")
    void adminWhenReadThenEverythingButOrgDelete() {
        Set<String> expected = new HashSet<>(Permissions.LATCHKEY);
        expected.remove(Permissions.ORG_DELETE);

        assertThat(Role.ADMIN.permissions()).isEqualTo(expected);
    }

    @Test
    @DisplayName("member: read the organization, its members, teams, resources, API keys and clients")
    void memberWhenReadThenReadsOnly() {
        assertThat(Role.MEMBER.permissions()).containsExactlyInAnyOrder("org:read", "member:read", "team:read",
                "resource:read", "api_key:read", "client:read");
    }

    @Test
    @DisplayName("viewer: read the organization, its members, teams and resources")
    void viewerWhenReadThenOrganizationAndMembersOnly() {
        assertThat(Role.VIEWER.permissions()).containsExactlyInAnyOrder("org:read", "member:read", "team:read",
                "resource:read");
    }

    @Test
    @DisplayName("a role is grantable only with every permission it holds: an admin never makes an owner")
    void grantableWhenHeldThenOnlySupersets() {
        assertThat(Role.OWNER.grantableWith(Role.ADMIN.permissions())).isFalse();
        assertThat(Role.ADMIN.grantableWith(Role.ADMIN.permissions())).isTrue();
        assertThat(Role.VIEWER.grantableWith(Role.MEMBER.permissions())).isTrue();
        assertThat(Role.MEMBER.grantableWith(Role.VIEWER.permissions())).isFalse();
        assertThat(Role.OWNER.grantableWith(Role.OWNER.permissions())).isTrue();
    }

    @Test
    @DisplayName("each role holds everything the one below holds, and only Latchkey permissions")
    void rolesWhenComparedThenNested() {
        assertThat(Role.OWNER.permissions()).containsAll(Role.ADMIN.permissions());
        assertThat(Role.ADMIN.permissions()).containsAll(Role.MEMBER.permissions());
        assertThat(Role.MEMBER.permissions()).containsAll(Role.VIEWER.permissions());
        for (Role role : Role.values()) {
            assertThat(role.permissions()).allMatch(Permissions::isLatchkey);
        }
    }

    @Test
    @DisplayName("no role holds a write permission for API keys below admin")
    void rolesWhenBelowAdminThenNoApiKeyWrites() {
        for (Role role : new Role[] {Role.MEMBER, Role.VIEWER}) {
            assertThat(role.permissions()).doesNotContain(Permissions.API_KEY_CREATE, Permissions.API_KEY_REVOKE,
                    Permissions.API_KEY_DELETE);
        }
    }

    @Test
    @DisplayName("a role's set cannot be changed")
    void permissionsWhenModifiedThenRefused() {
        assertThatThrownBy(() -> Role.VIEWER.permissions().add(Permissions.ORG_DELETE))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("text and parse round-trip in lower case")
    void parseWhenTextThenRole() {
        for (Role role : Role.values()) {
            assertThat(Role.parse(role.text())).contains(role);
        }
        assertThat(Role.OWNER.text()).isEqualTo("owner");
        assertThat(Role.VIEWER.text()).isEqualTo("viewer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"OWNER", "Owner", " owner", "owner ", "superuser", "", "admin\u0000", "ownér"})
    @DisplayName("anything else is no role (never guessed)")
    void parseWhenUnknownThenEmpty(String text) {
        assertThat(Role.parse(text)).isEmpty();
    }

    @Test
    @DisplayName("null is no role")
    void parseWhenNullThenEmpty() {
        assertThat(Role.parse(null)).isEmpty();
    }
}
