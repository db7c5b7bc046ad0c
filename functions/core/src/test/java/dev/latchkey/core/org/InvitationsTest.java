package dev.latchkey.core.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.principal.Permissions;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Invitations}: invite, list, revoke, accept, and every refusal. */
class InvitationsTest {

    private final OrgFixture f = new OrgFixture();

    private static void assertReason(Throwable thrown, ErrorCode code, String reason) {
        assertThat(thrown).isInstanceOfSatisfying(LatchkeyException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (reason != null) {
                assertThat(e.details()).containsEntry("reason", reason);
            }
        });
    }

    private CreatedInvitation invite(String email, String role) {
        return f.invitations.invite(f.owner(), email, role, OrgFixture.ORIGIN);
    }

    @Test
    void inviteWhenValidThenStoredCanonicalMailedOnceAndOnlyTheHashKept() {
        CreatedInvitation created = invite("  Grace.Hopper@Example.COM ", "admin");
        Invitation invitation = created.invitation();
        String token = f.lastToken();

        assertThat(created.mailSent()).isTrue();
        assertThat(invitation.email()).isEqualTo("grace.hopper@example.com");
        assertThat(invitation.role()).isEqualTo(Role.ADMIN);
        assertThat(invitation.state()).isEqualTo(InvitationState.PENDING);
        assertThat(invitation.expiresAt()).isEqualTo(OrgFixture.T0.plus(Duration.ofDays(7)));
        assertThat(invitation.invitedBy()).isEqualTo(f.ownerId);
        assertThat(invitation.tokenHash()).isEqualTo(InvitationToken.parse(token).orElseThrow().hash())
                .isNotEqualTo(token);
        MailMessage mail = f.mailer.latest(Invitations.MAIL_PURPOSE).orElseThrow();
        assertThat(mail.to()).isEqualTo("Grace.Hopper@example.com");
        assertThat(mail.text()).contains("https://id.example.com/v1/invitations/accept").contains("\"Acme\"")
                .contains("admin");
        assertThat(invitation.toString()).doesNotContain("grace.hopper").doesNotContain(token);
        AuditEvent event = f.audit.events("invitation.created").get(0);
        assertThat(event.details()).containsExactlyEntriesOf(java.util.Map.of("role", "admin"));
        assertThat(event.toString()).doesNotContain("grace").doesNotContain(token).doesNotContain("lki_");
        assertThat(f.repository.find(f.organizationId).orElseThrow().version()).isPositive();
    }

    @Test
    void inviteWhenBadInputThenValidationErrorsNamingTheField() {
        assertThat(catchThrowable(() -> invite("not an address", "member")))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.details())
                        .containsEntry("field", "email"));
        assertThat(catchThrowable(() -> invite(null, "member"))).isInstanceOfSatisfying(OrgException.class,
                e -> assertThat(e.details()).containsEntry("field", "email").containsEntry("reason", "REQUIRED"));
        assertThat(catchThrowable(() -> invite("a@example.com", "boss"))).isInstanceOfSatisfying(
                OrgException.class, e -> assertThat(e.details()).containsEntry("field", "role"));
        assertThat(f.mailer.sent()).isEmpty();
    }

    @Test
    void inviteWhenCallerCannotGrantTheRoleThenPermissionDenied() {
        String admin = f.user("admin@example.com", true);
        f.join(admin, Role.ADMIN);
        assertReason(catchThrowable(() -> f.invitations.invite(f.as(admin, Role.ADMIN), "x@example.com", "owner",
                OrgFixture.ORIGIN)), ErrorCode.PERMISSION_DENIED, "ROLE_NOT_GRANTABLE");
        assertThat(f.invitations.invite(f.as(admin, Role.ADMIN), "x@example.com", "admin", OrgFixture.ORIGIN)
                .invitation().role()).isEqualTo(Role.ADMIN);
        assertReason(catchThrowable(() -> f.invitations.invite(f.key(Set.of(Permissions.MEMBER_INVITE)),
                "y@example.com", "viewer", OrgFixture.ORIGIN)), ErrorCode.PERMISSION_DENIED, "ROLE_NOT_GRANTABLE");
    }

    @Test
    void inviteWhenAnOpenInvitationForTheAddressExistsThenConflictUntilItExpires() {
        invite("dup@example.com", "member");
        assertReason(catchThrowable(() -> invite("DUP@example.com", "viewer")), ErrorCode.CONFLICT,
                "ALREADY_INVITED");
        f.clock.advance(Invitations.LIFETIME);
        assertThat(invite("dup@example.com", "viewer").invitation().role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void inviteWhenTheMailFailsThenTheInvitationStandsAndSaysSo() {
        f.mailer.failWith(MailException.unavailable(new IOException("down")));
        CreatedInvitation created = invite("m@example.com", "member");
        assertThat(created.mailSent()).isFalse();
        assertThat(f.repository.invitation(f.organizationId, created.invitation().id())).isPresent();
    }

    @Test
    void acceptWhenVerifiedMatchingUserThenMemberTokenSpentAndAudited() {
        String invitee = f.user("Grace@example.com", true);
        Invitation invitation = invite("grace@EXAMPLE.com", "member").invitation();
        String token = f.lastToken();

        JoinedOrganization joined = f.invitations.accept(invitee, token, OrgFixture.ORIGIN);

        assertThat(joined.organization().id()).isEqualTo(f.organizationId);
        assertThat(joined.member().role()).isEqualTo(Role.MEMBER);
        assertThat(f.repository.member(f.organizationId, invitee)).isPresent();
        assertThat(f.repository.invitation(f.organizationId, invitation.id()).orElseThrow().state())
                .isEqualTo(InvitationState.ACCEPTED);
        assertThat(f.repository.hasToken(invitation.tokenHash())).isFalse();
        AuditEvent event = f.audit.events("invitation.accepted").get(0);
        assertThat(event.actor().id()).isEqualTo(invitee);
        assertThat(event.organizationId()).contains(f.organizationId);
        assertThat(f.organizations.list(invitee)).extracting(m -> m.organization().name()).contains("Acme");
        assertReason(catchThrowable(() -> f.invitations.accept(invitee, token, OrgFixture.ORIGIN)),
                ErrorCode.NOT_FOUND, "INVITATION_NOT_FOUND");
    }

    @Test
    void acceptWhenEmailNotVerifiedThenForbiddenEmailNotVerified() {
        String invitee = f.user("grace@example.com", false);
        invite("grace@example.com", "member");
        assertReason(catchThrowable(() -> f.invitations.accept(invitee, f.lastToken(), OrgFixture.ORIGIN)),
                ErrorCode.PERMISSION_DENIED, "EMAIL_NOT_VERIFIED");
        assertThat(f.repository.member(f.organizationId, invitee)).isEmpty();
    }

    @Test
    void acceptWhenAnotherAddressThenForbiddenEmailMismatchNamingNoAddress() {
        String other = f.user("mallory@example.com", true);
        invite("grace@example.com", "admin");
        Throwable thrown = catchThrowable(() -> f.invitations.accept(other, f.lastToken(), OrgFixture.ORIGIN));
        assertReason(thrown, ErrorCode.PERMISSION_DENIED, "EMAIL_MISMATCH");
        assertThat(thrown.getMessage()).doesNotContain("grace").doesNotContain("mallory");
        assertThat(((LatchkeyException) thrown).details().toString()).doesNotContain("@");
        assertThat(f.repository.member(f.organizationId, other)).isEmpty();
    }

    @Test
    void acceptWhenExpiredThenNotFoundExpired() {
        String invitee = f.user("grace@example.com", true);
        invite("grace@example.com", "member");
        f.clock.advance(Invitations.LIFETIME);
        assertReason(catchThrowable(() -> f.invitations.accept(invitee, f.lastToken(), OrgFixture.ORIGIN)),
                ErrorCode.NOT_FOUND, "INVITATION_EXPIRED");
    }

    @Test
    void acceptWhenRevokedThenNotFoundAndRevokeIsAudited() {
        String invitee = f.user("grace@example.com", true);
        Invitation invitation = invite("grace@example.com", "member").invitation();
        String token = f.lastToken();

        f.invitations.revoke(f.owner(), invitation.id(), OrgFixture.ORIGIN);
        f.invitations.revoke(f.owner(), invitation.id(), OrgFixture.ORIGIN);

        assertThat(f.audit.events("invitation.revoked")).hasSize(1);
        assertReason(catchThrowable(() -> f.invitations.accept(invitee, token, OrgFixture.ORIGIN)),
                ErrorCode.NOT_FOUND, "INVITATION_NOT_FOUND");
        assertThat(invite("grace@example.com", "member").mailSent()).as("a revoked one blocks no new one").isTrue();
    }

    @Test
    void revokeWhenAcceptedOrUnknownThenConflictOrNotFound() {
        String invitee = f.user("grace@example.com", true);
        Invitation invitation = invite("grace@example.com", "member").invitation();
        f.invitations.accept(invitee, f.lastToken(), OrgFixture.ORIGIN);
        assertReason(catchThrowable(() -> f.invitations.revoke(f.owner(), invitation.id(), OrgFixture.ORIGIN)),
                ErrorCode.CONFLICT, "ACCEPTED");
        assertReason(catchThrowable(() -> f.invitations.revoke(f.owner(), "inv_01JD3ZK8W6Q4V8S2M9N7T5R3P1",
                OrgFixture.ORIGIN)), ErrorCode.NOT_FOUND, null);
        assertReason(catchThrowable(() -> f.invitations.revoke(f.owner(), "nope", OrgFixture.ORIGIN)),
                ErrorCode.NOT_FOUND, null);
    }

    @Test
    void acceptWhenAlreadyAMemberThenConflict() {
        String invitee = f.user("grace@example.com", true);
        f.join(invitee, Role.VIEWER);
        invite("grace@example.com", "admin");
        assertReason(catchThrowable(() -> f.invitations.accept(invitee, f.lastToken(), OrgFixture.ORIGIN)),
                ErrorCode.CONFLICT, "ALREADY_MEMBER");
        assertThat(f.repository.member(f.organizationId, invitee).orElseThrow().role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void acceptWhenTokenMissingMalformedOrUnknownThenValidationOrNotFound() {
        String invitee = f.user("grace@example.com", true);
        assertReason(catchThrowable(() -> f.invitations.accept(invitee, null, OrgFixture.ORIGIN)),
                ErrorCode.VALIDATION_ERROR, "REQUIRED");
        assertReason(catchThrowable(() -> f.invitations.accept(invitee, "lkv_abc", OrgFixture.ORIGIN)),
                ErrorCode.VALIDATION_ERROR, "INVALID_FORMAT");
        assertReason(catchThrowable(() -> f.invitations.accept(invitee, "lki_" + "A".repeat(43), OrgFixture.ORIGIN)),
                ErrorCode.NOT_FOUND, "INVITATION_NOT_FOUND");
    }

    @Test
    void listWhenSeveralThenPagesInIdOrderWithAddressesAndStates() {
        invite("a@example.com", "member");
        invite("b@example.com", "viewer");
        invite("c@example.com", "admin");
        InvitationPage first = f.invitations.list(f.owner(), 2, Optional.empty());
        InvitationPage second = f.invitations.list(f.owner(), 2, first.nextCursor());
        assertThat(first.invitations()).extracting(Invitation::email).containsExactly("a@example.com",
                "b@example.com");
        assertThat(second.invitations()).extracting(Invitation::email).containsExactly("c@example.com");
        assertThat(second.nextCursor()).isEmpty();
        f.clock.advance(Invitations.LIFETIME);
        assertThat(first.invitations().get(0).status(f.clock.instant())).isEqualTo("expired");
    }
}
