package dev.latchkey.core.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ManageMembers}: list, change role, remove, leave, grantable roles and the last owner. */
class ManageMembersTest {

    private final OrgFixture f = new OrgFixture();

    private static void assertReason(Throwable thrown, ErrorCode code, String reason) {
        assertThat(thrown).isInstanceOfSatisfying(OrgException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (reason != null) {
                assertThat(e.details()).containsEntry("reason", reason);
            }
        });
    }

    @Test
    void listWhenMoreThanAPageThenCursorContinuesAndForeignCursorIsRefused() {
        List<String> joined = new ArrayList<>(List.of(f.ownerId));
        for (int i = 0; i < 4; i++) {
            String id = f.user("m" + i + "@example.com", true);
            f.join(id, Role.VIEWER);
            joined.add(id);
        }
        MemberPage first = f.members.list(f.owner(), 3, Optional.empty());
        MemberPage second = f.members.list(f.owner(), 3, first.nextCursor());

        assertThat(first.members()).hasSize(3);
        assertThat(second.members()).hasSize(2);
        assertThat(second.nextCursor()).isEmpty();
        List<String> all = new ArrayList<>();
        first.members().forEach(m -> all.add(m.userId()));
        second.members().forEach(m -> all.add(m.userId()));
        assertThat(all).containsExactlyInAnyOrderElementsOf(joined).isSorted();
        String personal = f.users.findById(f.ownerId).orElseThrow().personalOrganizationId();
        OrgAccess elsewhere = new OrgAccess(personal, f.owner().caller(), Role.OWNER.permissions());
        assertReason(catchThrowable(() -> f.members.list(elsewhere, 3, first.nextCursor())),
                ErrorCode.VALIDATION_ERROR, "INVALID");
        assertReason(catchThrowable(() -> f.members.list(f.owner(), 0, Optional.empty())),
                ErrorCode.VALIDATION_ERROR, "OUT_OF_RANGE");
        assertReason(catchThrowable(() -> f.members.list(f.owner(), 3, Optional.of("garbage"))),
                ErrorCode.VALIDATION_ERROR, "INVALID");
    }

    @Test
    void changeRoleWhenOwnerPromotesThenStoredAndAuditedWithBothRoles() {
        String member = f.user("m@example.com", true);
        f.join(member, Role.MEMBER);

        Member changed = f.members.changeRole(f.owner(), member, "admin", OrgFixture.ORIGIN);

        assertThat(changed.role()).isEqualTo(Role.ADMIN);
        assertThat(f.repository.member(f.organizationId, member).orElseThrow().role()).isEqualTo(Role.ADMIN);
        AuditEvent event = f.audit.events("member.role_changed").get(0);
        assertThat(event.details()).containsEntry("old_role", "member").containsEntry("new_role", "admin");
        assertThat(event.target()).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(member));
    }

    @Test
    void changeRoleWhenAdminMakesOrUnmakesAnOwnerThenPermissionDenied() {
        String admin = f.user("a@example.com", true);
        String member = f.user("m@example.com", true);
        f.join(admin, Role.ADMIN);
        f.join(member, Role.MEMBER);
        OrgAccess asAdmin = f.as(admin, Role.ADMIN);

        assertReason(catchThrowable(() -> f.members.changeRole(asAdmin, member, "owner", OrgFixture.ORIGIN)),
                ErrorCode.PERMISSION_DENIED, "ROLE_NOT_GRANTABLE");
        assertReason(catchThrowable(() -> f.members.changeRole(asAdmin, f.ownerId, "viewer", OrgFixture.ORIGIN)),
                ErrorCode.PERMISSION_DENIED, "ROLE_NOT_GRANTABLE");
        assertReason(catchThrowable(() -> f.members.changeRole(asAdmin, admin, "owner", OrgFixture.ORIGIN)),
                ErrorCode.PERMISSION_DENIED, "ROLE_NOT_GRANTABLE");
        assertThat(f.members.changeRole(asAdmin, member, "viewer", OrgFixture.ORIGIN).role()).isEqualTo(Role.VIEWER);
        OrgAccess narrowKey = f.key(Set.of(Permissions.MEMBER_ROLE_UPDATE));
        assertReason(catchThrowable(() -> f.members.changeRole(narrowKey, member, "member", OrgFixture.ORIGIN)),
                ErrorCode.PERMISSION_DENIED, "ROLE_NOT_GRANTABLE");
    }

    @Test
    void changeRoleWhenBadRoleOrUnknownUserThenValidationErrorOrNotFound() {
        String member = f.user("m@example.com", true);
        f.join(member, Role.MEMBER);
        assertReason(catchThrowable(() -> f.members.changeRole(f.owner(), member, "superuser", OrgFixture.ORIGIN)),
                ErrorCode.VALIDATION_ERROR, "INVALID");
        assertReason(catchThrowable(() -> f.members.changeRole(f.owner(), member, null, OrgFixture.ORIGIN)),
                ErrorCode.VALIDATION_ERROR, "REQUIRED");
        String stranger = f.user("s@example.com", true);
        assertReason(catchThrowable(() -> f.members.changeRole(f.owner(), stranger, "member", OrgFixture.ORIGIN)),
                ErrorCode.NOT_FOUND, null);
        assertReason(catchThrowable(() -> f.members.changeRole(f.owner(), "usr_nope", "member", OrgFixture.ORIGIN)),
                ErrorCode.NOT_FOUND, null);
    }

    @Test
    void changeRoleWhenSameRoleThenNothingWritten() {
        f.members.changeRole(f.owner(), f.ownerId, "owner", OrgFixture.ORIGIN);
        assertThat(f.audit.events("member.role_changed")).isEmpty();
    }

    @Test
    void changeRoleWhenLastOwnerIsDemotedThenConflictLastOwner() {
        assertReason(catchThrowable(() -> f.members.changeRole(f.owner(), f.ownerId, "admin", OrgFixture.ORIGIN)),
                ErrorCode.CONFLICT, "LAST_OWNER");
        assertThat(f.repository.member(f.organizationId, f.ownerId).orElseThrow().role()).isEqualTo(Role.OWNER);
    }

    @Test
    void changeRoleWhenAnotherOwnerExistsThenAnOwnerMayStepDown() {
        String second = f.user("o2@example.com", true);
        f.join(second, Role.OWNER);

        f.members.changeRole(f.owner(), f.ownerId, "admin", OrgFixture.ORIGIN);

        assertThat(f.repository.owners(f.organizationId)).extracting(Member::userId).containsExactly(second);
    }

    @Test
    void changeRoleWhenTheOtherOwnerIsDemotedMeanwhileThenLastOwnerAfterAFreshRead() {
        String second = f.user("o2@example.com", true);
        f.join(second, Role.OWNER);
        f.repository.beforeWrite(() -> f.repository.putMember(new Member(f.organizationId, second, Role.ADMIN,
                OrgFixture.T0)));

        assertReason(catchThrowable(() -> f.members.changeRole(f.owner(), f.ownerId, "admin", OrgFixture.ORIGIN)),
                ErrorCode.CONFLICT, "LAST_OWNER");
        assertThat(f.repository.owners(f.organizationId)).extracting(Member::userId).containsExactly(f.ownerId);
    }

    @Test
    void removeWhenAdminRemovesAMemberThenGoneAndAudited() {
        String admin = f.user("a@example.com", true);
        String member = f.user("m@example.com", true);
        f.join(admin, Role.ADMIN);
        f.join(member, Role.MEMBER);

        f.members.remove(f.as(admin, Role.ADMIN), member, OrgFixture.ORIGIN);

        assertThat(f.repository.member(f.organizationId, member)).isEmpty();
        AuditEvent event = f.audit.events("member.removed").get(0);
        assertThat(event.actor().id()).isEqualTo(admin);
        assertThat(event.details()).containsEntry("role", "member");
    }

    @Test
    void removeWhenAdminRemovesAnOwnerThenPermissionDenied() {
        String admin = f.user("a@example.com", true);
        f.join(admin, Role.ADMIN);
        assertReason(catchThrowable(() -> f.members.remove(f.as(admin, Role.ADMIN), f.ownerId, OrgFixture.ORIGIN)),
                ErrorCode.PERMISSION_DENIED, "ROLE_NOT_GRANTABLE");
        assertThat(f.repository.member(f.organizationId, f.ownerId)).isPresent();
    }

    @Test
    void removeWhenTheLastOwnerThenConflict() {
        assertReason(catchThrowable(() -> f.members.remove(f.owner(), f.ownerId, OrgFixture.ORIGIN)),
                ErrorCode.CONFLICT, "LAST_OWNER");
    }

    @Test
    void leaveWhenAMemberLeavesThenGoneAndMemberLeftAudited() {
        String viewer = f.user("v@example.com", true);
        f.join(viewer, Role.VIEWER);

        f.members.leave(f.as(viewer, Role.VIEWER), OrgFixture.ORIGIN);

        assertThat(f.repository.member(f.organizationId, viewer)).isEmpty();
        assertThat(f.audit.events("member.left").get(0).actor().id()).isEqualTo(viewer);
    }

    @Test
    void leaveWhenTheLastOwnerThenConflictButWithAnotherOwnerThenAllowed() {
        assertReason(catchThrowable(() -> f.members.leave(f.owner(), OrgFixture.ORIGIN)), ErrorCode.CONFLICT,
                "LAST_OWNER");
        String second = f.user("o2@example.com", true);
        f.join(second, Role.OWNER);
        f.members.leave(f.owner(), OrgFixture.ORIGIN);
        assertThat(f.repository.member(f.organizationId, f.ownerId)).isEmpty();
    }

    @Test
    void leaveWhenCalledByAnApiKeyThenUserRequired() {
        assertReason(catchThrowable(() -> f.members.leave(f.key(Set.of(Permissions.MEMBER_REMOVE)),
                OrgFixture.ORIGIN)), ErrorCode.PERMISSION_DENIED, "USER_REQUIRED");
    }

    @Test
    void removalWhenCallerIsTheUserThenLeaveWithMembershipOnlyElseRemoveWithMemberRemove() {
        String viewer = f.user("v@example.com", true);
        Caller.User self = new Caller.User(viewer, "ses_1");
        MemberRemoval leaving = MemberRemoval.of(self, viewer);
        assertThat(leaving.leaving()).isTrue();
        assertThat(leaving.permission()).isEqualTo(Permissions.ORG_READ);
        MemberRemoval removing = MemberRemoval.of(self, f.ownerId);
        assertThat(removing.leaving()).isFalse();
        assertThat(removing.permission()).isEqualTo(Permissions.MEMBER_REMOVE);
        MemberRemoval byKey = MemberRemoval.of(f.key(Set.of(Permissions.MEMBER_REMOVE)).caller(), viewer);
        assertThat(byKey.leaving()).as("a key never leaves").isFalse();
    }

    @Test
    void removeWhenRemovalIsLeaveThenMemberLeftElseMemberRemovedAudited() {
        String viewer = f.user("v@example.com", true);
        String member = f.user("m@example.com", true);
        f.join(viewer, Role.VIEWER);
        f.join(member, Role.MEMBER);
        OrgAccess asViewer = f.as(viewer, Role.VIEWER);

        f.members.remove(asViewer, MemberRemoval.of(asViewer.caller(), viewer), OrgFixture.ORIGIN);
        f.members.remove(f.owner(), MemberRemoval.of(f.owner().caller(), member), OrgFixture.ORIGIN);

        assertThat(f.repository.member(f.organizationId, viewer)).isEmpty();
        assertThat(f.repository.member(f.organizationId, member)).isEmpty();
        assertThat(f.audit.events("member.left")).extracting(e -> e.actor().id()).containsExactly(viewer);
        assertThat(f.audit.events("member.removed")).extracting(e -> e.target().orElseThrow().id())
                .containsExactly(member);
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }

    @Test
    void removeWhenMalformedUserIdThenNotFoundWithoutARead() {
        assertThatThrownBy(() -> f.members.remove(f.owner(), "usr_x", OrgFixture.ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
