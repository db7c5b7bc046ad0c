package dev.latchkey.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.access.InMemoryMembershipDirectory;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.StepUpRequiredException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An administrator's reset of a member's second factor (issue 14 item 7): user only, step-up, member of the
 * administrator's organization only (anyone else is 404, whether or not the account exists), never an owner by an
 * admin, audited in the organization ({@code mfa.reset}, the administrator as actor) and mailed to the member.
 */
class ResetMemberMfaTest {

    private final MfaFixture m = new MfaFixture();
    private final InMemoryMembershipDirectory memberships = new InMemoryMembershipDirectory();
    private final ResetMemberMfa reset = new ResetMemberMfa(memberships, m.stepUp, m.manage);
    private final String organizationId = m.f.ids.next(IdPrefix.ORGANIZATION);
    private final User admin = m.account("admin@example.com");

    private OrgAccess as(User user, Role role, List<String> amr, Instant authTime) {
        return new OrgAccess(organizationId, new Caller.User(user.id(), m.f.ids.next(IdPrefix.SESSION), amr,
                Optional.of(authTime)), role.permissions());
    }

    private OrgAccess adminNow() {
        return as(admin, Role.ADMIN, List.of("pwd"), m.f.clock.instant());
    }

    private static ErrorCode code(Throwable thrown) {
        assertThat(thrown).isInstanceOf(LatchkeyException.class);
        return ((LatchkeyException) thrown).code();
    }

    @Test
    void resetWhenAdminResetsAMemberThenFactorRemovedAuditedInTheOrganizationAndMailed() {
        m.enrol(m.ada);
        memberships.put(organizationId, m.ada.id(), Role.MEMBER).put(organizationId, admin.id(), Role.ADMIN);

        reset.reset(adminNow(), m.ada.id(), MfaFixture.ORIGIN);

        assertThat(m.manage.enrolled(m.ada.id())).isFalse();
        AuditEvent event = m.f.audit.events("mfa.reset").get(0);
        assertThat(event.organizationId()).hasValue(organizationId);
        assertThat(event.actor().id()).isEqualTo(admin.id());
        assertThat(event.target()).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(m.ada.id()));
        assertThat(m.mailer.latest(MfaMail.MFA_REMOVED)).hasValueSatisfying(mail -> {
            assertThat(mail.to()).contains("ada@example.com");
            assertThat(mail.text()).contains("administrator");
        });
    }

    @Test
    void resetWhenUserIsNoMemberOfTheOrganizationThen404AndFactorKept() {
        m.enrol(m.ada);
        String otherOrganization = m.f.ids.next(IdPrefix.ORGANIZATION);
        memberships.put(otherOrganization, m.ada.id(), Role.MEMBER);

        Throwable thrown = catchThrowable(() -> reset.reset(adminNow(), m.ada.id(), MfaFixture.ORIGIN));

        assertThat(code(thrown)).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(m.manage.enrolled(m.ada.id())).isTrue();
        assertThat(m.f.audit.events("mfa.reset")).isEmpty();
        assertThat(m.mailer.latest(MfaMail.MFA_REMOVED)).isEmpty();
        assertThat(code(catchThrowable(() -> reset.reset(adminNow(), "usr_01JD3ZK8W6Q4V8S2M9N7T5R3P1",
                MfaFixture.ORIGIN)))).as("an unknown user: the same 404").isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void resetWhenAdminTargetsAnOwnerThen403RoleNotGrantableAndFactorKept() {
        m.enrol(m.ada);
        memberships.put(organizationId, m.ada.id(), Role.OWNER);

        Throwable thrown = catchThrowable(() -> reset.reset(adminNow(), m.ada.id(), MfaFixture.ORIGIN));

        assertThat(thrown).isInstanceOfSatisfying(MfaException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            assertThat(e.details()).containsEntry("reason", "ROLE_NOT_GRANTABLE").containsEntry("role", "owner");
        });
        assertThat(m.manage.enrolled(m.ada.id())).isTrue();
        reset.reset(as(admin, Role.OWNER, List.of("pwd"), m.f.clock.instant()), m.ada.id(), MfaFixture.ORIGIN);
        assertThat(m.manage.enrolled(m.ada.id())).as("an owner may").isFalse();
    }

    @Test
    void resetWhenApiKeyThen403UserRequired() {
        m.enrol(m.ada);
        memberships.put(organizationId, m.ada.id(), Role.MEMBER);
        OrgAccess key = new OrgAccess(organizationId, new Caller.ApiKey(m.f.ids.next(IdPrefix.API_KEY),
                organizationId, Role.OWNER.permissions()), Role.OWNER.permissions());

        Throwable thrown = catchThrowable(() -> reset.reset(key, m.ada.id(), MfaFixture.ORIGIN));

        assertThat(thrown).isInstanceOfSatisfying(MfaException.class,
                e -> assertThat(e.details()).containsEntry("reason", "USER_REQUIRED"));
        assertThat(m.manage.enrolled(m.ada.id())).isTrue();
    }

    @Test
    void resetWhenAdminSignedInOlderThanTenMinutesThenStepUpRequiredAndFactorKept() {
        m.enrol(m.ada);
        memberships.put(organizationId, m.ada.id(), Role.MEMBER);
        Instant stale = m.f.clock.instant().minus(StepUp.MAX_AGE).minusSeconds(1);

        Throwable thrown = catchThrowable(() -> reset.reset(as(admin, Role.ADMIN, List.of("pwd"), stale),
                m.ada.id(), MfaFixture.ORIGIN));

        assertThat(thrown).isInstanceOf(StepUpRequiredException.class);
        assertThat(m.manage.enrolled(m.ada.id())).isTrue();
    }

    @Test
    void resetWhenAdminHasAFactorButSignedInWithPasswordOnlyThenStepUpWithMultiFactorHint() {
        m.enrol(m.ada);
        m.enrol(admin);
        memberships.put(organizationId, m.ada.id(), Role.MEMBER);

        Throwable thrown = catchThrowable(() -> reset.reset(adminNow(), m.ada.id(), MfaFixture.ORIGIN));

        assertThat(thrown).isInstanceOfSatisfying(StepUpRequiredException.class,
                e -> assertThat(e.acrValues()).containsExactly(StepUp.ACR_MULTI_FACTOR));
        reset.reset(as(admin, Role.ADMIN, List.of("pwd", "otp", "mfa"), m.f.clock.instant()), m.ada.id(),
                MfaFixture.ORIGIN);
        assertThat(m.manage.enrolled(m.ada.id())).isFalse();
    }

    @Test
    void resetWhenMemberHasNoSecondFactorThen404() {
        memberships.put(organizationId, m.ada.id(), Role.MEMBER);

        assertThat(code(catchThrowable(() -> reset.reset(adminNow(), m.ada.id(), MfaFixture.ORIGIN))))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }
}
