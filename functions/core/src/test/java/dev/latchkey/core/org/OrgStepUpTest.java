package dev.latchkey.core.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.mfa.StepUp;
import dev.latchkey.core.principal.StepUpRequiredException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 6: deleting an organization and making a member owner take a step-up (RFC 9470) of a user caller:
 * signed in within ten minutes, else 401 {@code insufficient_user_authentication} and nothing changed.
 */
class OrgStepUpTest {

    private final OrgFixture f = new OrgFixture();

    private Instant stale() {
        return f.clock.instant().minus(StepUp.MAX_AGE).minusSeconds(1);
    }

    private static void assertStepUp(Throwable thrown) {
        assertThat(thrown).isInstanceOf(StepUpRequiredException.class);
        assertThat(((StepUpRequiredException) thrown).headers().get("www-authenticate"))
                .contains("insufficient_user_authentication").contains("max_age=\"600\"");
    }

    @Test
    void deleteWhenOwnerSignedInOlderThanTenMinutesThenStepUpRequiredAndOrganizationKept() {
        Throwable thrown = catchThrowable(() -> f.organizations.delete(f.signedInAt(f.ownerId, Role.OWNER, stale()),
                OrgFixture.ORIGIN));

        assertStepUp(thrown);
        assertThat(f.repository.find(f.organizationId)).isPresent();
        assertThat(f.audit.events("org.deleted")).isEmpty();
    }

    @Test
    void deleteWhenOwnerSignedInRecentlyThenDeleted() {
        f.organizations.delete(f.signedInAt(f.ownerId, Role.OWNER, f.clock.instant().minusSeconds(60)),
                OrgFixture.ORIGIN);

        assertThat(f.repository.find(f.organizationId)).isEmpty();
        assertThat(f.audit.events("org.deleted")).hasSize(1);
    }

    @Test
    void deleteWhenApiKeyCallerThenNoStepUpButTheUsualEmptinessCheck() {
        Throwable thrown = catchThrowable(() -> f.organizations.delete(f.key(Set.of("org:delete")),
                OrgFixture.ORIGIN));

        assertThat(thrown).isInstanceOfSatisfying(OrgException.class,
                e -> assertThat(e.details()).containsEntry("reason", "ORGANIZATION_NOT_EMPTY"));
    }

    @Test
    void changeRoleToOwnerWhenSignedInOlderThanTenMinutesThenStepUpRequiredAndRoleKept() {
        String member = f.user("m@example.com", true);
        f.join(member, Role.MEMBER);

        Throwable thrown = catchThrowable(() -> f.members.changeRole(f.signedInAt(f.ownerId, Role.OWNER, stale()),
                member, "owner", OrgFixture.ORIGIN));

        assertStepUp(thrown);
        assertThat(f.repository.member(f.organizationId, member).orElseThrow().role()).isEqualTo(Role.MEMBER);
    }

    @Test
    void changeRoleToOwnerWhenSignedInRecentlyThenOwner() {
        String member = f.user("m@example.com", true);
        f.join(member, Role.MEMBER);

        Member changed = f.members.changeRole(f.signedInAt(f.ownerId, Role.OWNER, f.clock.instant()), member,
                "owner", OrgFixture.ORIGIN);

        assertThat(changed.role()).isEqualTo(Role.OWNER);
    }

    @Test
    void changeRoleToAdminWhenSignedInOlderThanTenMinutesThenNoStepUp() {
        String member = f.user("m@example.com", true);
        f.join(member, Role.MEMBER);

        Member changed = f.members.changeRole(f.signedInAt(f.ownerId, Role.OWNER, stale()), member, "admin",
                OrgFixture.ORIGIN);

        assertThat(changed.role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void inviteAsOwnerWhenSignedInOlderThanTenMinutesThenStepUpRequiredAndNoInvitation() {
        Throwable thrown = catchThrowable(() -> f.invitations.invite(f.signedInAt(f.ownerId, Role.OWNER, stale()),
                "new.owner@example.com", "owner", OrgFixture.ORIGIN));

        assertStepUp(thrown);
        assertThat(f.invitations.list(f.owner(), 10, Optional.empty()).invitations()).isEmpty();
        assertThat(f.audit.events("invitation.created")).isEmpty();
    }

    @Test
    void inviteBelowOwnerWhenSignedInOlderThanTenMinutesThenNoStepUp() {
        CreatedInvitation created = f.invitations.invite(f.signedInAt(f.ownerId, Role.OWNER, stale()),
                "new.admin@example.com", "admin", OrgFixture.ORIGIN);

        assertThat(created.invitation().role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void inviteAsOwnerWhenSignedInRecentlyThenInvited() {
        CreatedInvitation created = f.invitations.invite(f.signedInAt(f.ownerId, Role.OWNER, f.clock.instant()),
                "new.owner@example.com", "owner", OrgFixture.ORIGIN);

        assertThat(created.invitation().role()).isEqualTo(Role.OWNER);
    }
}
