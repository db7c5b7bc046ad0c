package dev.latchkey.core.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.ratelimit.RateLimitedException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ManageOrganizations}: create, list, show, rename, and the delete rules. */
class ManageOrganizationsTest {

    private final OrgFixture f = new OrgFixture();

    @Test
    void createWhenValidThenCallerIsOwnerAndOrgCreatedIsAudited() {
        Organization created = f.organizations.create(f.ownerId, "  Cafe\u0301 Lab ", OrgFixture.ORIGIN);

        assertThat(created.name()).isEqualTo("Caf\u00e9 Lab");
        assertThat(created.personal()).isFalse();
        assertThat(created.createdBy()).isEqualTo(f.ownerId);
        assertThat(f.repository.member(created.id(), f.ownerId)).hasValueSatisfying(m ->
                assertThat(m.role()).isEqualTo(Role.OWNER));
        AuditEvent event = f.audit.events("org.created").get(1);
        assertThat(event.organizationId()).contains(created.id());
        assertThat(event.actor().id()).isEqualTo(f.ownerId);
        assertThat(event.target()).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(created.id()));
        assertThat(event.details()).isEmpty();
        assertThat(f.organizations.list(f.ownerId)).extracting(m -> m.organization().id())
                .contains(created.id(), f.organizationId);
    }

    @Test
    void createWhenNameBadThenValidationErrorNamingName() {
        for (String name : new String[] {null, "   ", "x".repeat(101), "a\nb", "a\u0000b"}) {
            assertThatThrownBy(() -> f.organizations.create(f.ownerId, name, OrgFixture.ORIGIN))
                    .isInstanceOfSatisfying(OrgException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                        assertThat(e.details()).containsEntry("field", "name");
                    });
        }
    }

    @Test
    void createWhenUserCreatesTooManyThenRateLimited() {
        for (int i = 1; i < ManageOrganizations.DEFAULT_CREATE_LIMIT.limit(); i++) {
            f.organizations.create(f.ownerId, "org " + i, OrgFixture.ORIGIN);
        }
        assertThatThrownBy(() -> f.organizations.create(f.ownerId, "one too many", OrgFixture.ORIGIN))
                .isInstanceOf(RateLimitedException.class);
        String other = f.user("other@example.com", true);
        assertThat(f.organizations.create(other, "fine", OrgFixture.ORIGIN).name()).isEqualTo("fine");
    }

    @Test
    void renameWhenNewNameThenStoredAndAuditedWithoutTheName() {
        Organization renamed = f.organizations.rename(f.as(f.ownerId, Role.ADMIN), "Acme Ltd", OrgFixture.ORIGIN);

        assertThat(renamed.name()).isEqualTo("Acme Ltd");
        assertThat(f.organizations.show(f.owner()).name()).isEqualTo("Acme Ltd");
        AuditEvent event = f.audit.events("org.renamed").get(0);
        assertThat(event.details()).isEmpty();
        assertThat(event.toString()).doesNotContain("Acme Ltd");
    }

    @Test
    void deleteWhenPersonalThenConflictPersonalOrganization() {
        String personal = f.users.findById(f.ownerId).orElseThrow().personalOrganizationId();
        var access = new dev.latchkey.core.principal.OrgAccess(personal, f.owner().caller(), Role.OWNER.permissions());

        assertThatThrownBy(() -> f.organizations.delete(access, OrgFixture.ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.details()).containsEntry("reason", "PERSONAL_ORGANIZATION");
                });
        assertThat(f.repository.find(personal)).isPresent();
    }

    @Test
    void deleteWhenOtherMembersTeamsAndKeysRemainThenConflictNamingThem() {
        f.join(f.user("m@example.com", true), Role.MEMBER);
        f.repository.addDependent(f.organizationId, "teams");
        f.repository.addDependent(f.organizationId, "api_keys");
        f.repository.addDependent(f.organizationId, "api_keys");

        assertThatThrownBy(() -> f.organizations.delete(f.owner(), OrgFixture.ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.details()).containsEntry("reason", "ORGANIZATION_NOT_EMPTY");
                    assertThat(e.details().get("remaining")).isEqualTo(Map.of("members", 1, "teams", 1,
                            "api_keys", 2));
                });
        assertThat(f.audit.events("org.deleted")).isEmpty();
    }

    @Test
    void deleteWhenOnlyTheOwnerAndInvitationsRemainThenGoneWithInvitationsAndAudited() {
        f.invitations.invite(f.owner(), "guest@example.com", "member", OrgFixture.ORIGIN);
        String token = f.lastToken();

        f.organizations.delete(f.owner(), OrgFixture.ORIGIN);

        assertThat(f.repository.find(f.organizationId)).isEmpty();
        assertThat(f.repository.member(f.organizationId, f.ownerId)).isEmpty();
        assertThat(f.repository.hasToken(InvitationToken.parse(token).orElseThrow().hash())).isFalse();
        AuditEvent event = f.audit.events("org.deleted").get(0);
        assertThat(event.details()).containsEntry("invitations_deleted", "1");
        assertThat(f.organizations.list(f.ownerId)).extracting(m -> m.organization().id())
                .doesNotContain(f.organizationId);
    }

    @Test
    void deleteWhenSomethingIsAddedMeanwhileThenConcurrentChangeAndNothingDeleted() {
        f.repository.beforeWrite(() -> f.repository.addDependent(f.organizationId, "resources"));

        assertThatThrownBy(() -> f.organizations.delete(f.owner(), OrgFixture.ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.details()).containsEntry("reason", "CONCURRENT_CHANGE"));
        assertThat(f.repository.find(f.organizationId)).isPresent();
    }

    @Test
    void deleteWhenCalledByAnApiKeyThenItsOwnerRemainsAMember() {
        var key = f.key(Set.of(Permissions.ORG_DELETE));

        assertThatThrownBy(() -> f.organizations.delete(key, OrgFixture.ORIGIN))
                .isInstanceOfSatisfying(OrgException.class, e ->
                        assertThat(e.details().get("remaining")).isEqualTo(Map.of("members", 1)));
    }

    @Test
    void showWhenGoneThenNotFound() {
        f.organizations.delete(f.owner(), OrgFixture.ORIGIN);
        assertThatThrownBy(() -> f.organizations.show(f.owner()))
                .isInstanceOfSatisfying(LatchkeyException.class, e ->
                        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
