package dev.latchkey.core.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.resource.Grant;
import dev.latchkey.core.resource.GranteeType;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.ResourceFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ManageTeams}: names, members, delete with its grants, audit, and tenant isolation. */
class ManageTeamsTest {

    private final ResourceFixture f = new ResourceFixture();

    private static void assertError(Runnable call, ErrorCode code, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LatchkeyException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (reason != null) {
                assertThat(e.details()).containsEntry("reason", reason);
            }
        });
    }

    @Test
    void createWhenValidThenStoredAuditedAndOrganizationVersionBumped() {
        Team team = f.teams.create(f.owner, "  Platform  ", ResourceFixture.ORIGIN);

        assertThat(team.name()).isEqualTo("Platform");
        assertThat(team.organizationId()).isEqualTo(f.organizationId);
        assertThat(team.createdBy()).isEqualTo(f.ownerId);
        assertThat(team.createdAt()).isEqualTo(ResourceFixture.T0);
        assertThat(f.teams.list(f.owner)).containsExactly(team);
        AuditEvent event = f.audit.last().orElseThrow();
        assertThat(event.action()).isEqualTo("team.created");
        assertThat(event.target().orElseThrow().id()).isEqualTo(team.teamId());
        assertThat(event.organizationId()).contains(f.organizationId);
        assertThat(f.teamStore.organizationVersion(f.organizationId)).isEqualTo(1);
    }

    @Test
    void createWhenTheOrganizationHasTheMostTeamsThenConflictAndNothingWritten() {
        for (int i = 0; i < ManageTeams.MAX_TEAMS; i++) {
            f.teams.create(f.owner, "team " + i, ResourceFixture.ORIGIN);
        }
        int events = f.audit.events().size();

        assertError(() -> f.teams.create(f.owner, "one more", ResourceFixture.ORIGIN), ErrorCode.CONFLICT,
                "TOO_MANY_TEAMS");
        assertThat(f.teams.list(f.owner)).hasSize(ManageTeams.MAX_TEAMS);
        assertThat(f.audit.events()).hasSize(events);
    }

    @Test
    void createWhenNameTakenIgnoringCaseThenConflict() {
        f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);

        assertError(() -> f.teams.create(f.owner, "PLATFORM", ResourceFixture.ORIGIN), ErrorCode.CONFLICT,
                "NAME_TAKEN");
        assertThat(f.audit.events()).hasSize(1);
    }

    @Test
    void createWhenNameBadThenValidationError() {
        assertError(() -> f.teams.create(f.owner, " ", ResourceFixture.ORIGIN), ErrorCode.VALIDATION_ERROR,
                "REQUIRED");
        assertError(() -> f.teams.create(f.owner, "x".repeat(101), ResourceFixture.ORIGIN),
                ErrorCode.VALIDATION_ERROR, "TOO_LONG");
        assertError(() -> f.teams.create(f.owner, "a\u0000b", ResourceFixture.ORIGIN), ErrorCode.VALIDATION_ERROR,
                "INVALID_CHARACTERS");
    }

    @Test
    void renameWhenValidThenRenamedAndAuditedSameNameWritesNothing() {
        Team team = f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);

        Team renamed = f.teams.rename(f.owner, team.teamId(), "Infra", ResourceFixture.ORIGIN);
        f.teams.rename(f.owner, team.teamId(), "Infra", ResourceFixture.ORIGIN);

        assertThat(renamed.name()).isEqualTo("Infra");
        assertThat(f.teams.show(f.owner, team.teamId()).team().name()).isEqualTo("Infra");
        assertThat(f.audit.events("team.renamed")).hasSize(1);
        f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);
        assertError(() -> f.teams.rename(f.owner, team.teamId(), "platform", ResourceFixture.ORIGIN),
                ErrorCode.CONFLICT, "NAME_TAKEN");
    }

    @Test
    void addMemberWhenOrganizationMemberThenShownAndAuditedWithUserIdOnly() {
        Team team = f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);
        String userId = f.member(Role.VIEWER);
        f.clock.advance(Duration.ofMinutes(1));

        TeamMember member = f.teams.addMember(f.owner, team.teamId(), userId, ResourceFixture.ORIGIN);
        TeamMember again = f.teams.addMember(f.owner, team.teamId(), userId, ResourceFixture.ORIGIN);

        assertThat(again).isEqualTo(member);
        assertThat(member.addedAt()).isEqualTo(ResourceFixture.T0.plus(Duration.ofMinutes(1)));
        assertThat(f.teams.show(f.owner, team.teamId()).members()).containsExactly(member);
        assertThat(f.teamStore.teamIds(f.organizationId, userId)).containsExactly(team.teamId());
        assertThat(f.audit.events("team.member_added")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsExactly(java.util.Map.entry("user_id", userId)));
        assertThat(f.teamStore.organizationVersion(f.organizationId)).isEqualTo(2);
    }

    @Test
    void addMemberWhenNotAnOrganizationMemberThenNotFoundWithReason() {
        Team team = f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);
        String stranger = f.ids.next(IdPrefix.USER);

        assertError(() -> f.teams.addMember(f.owner, team.teamId(), stranger, ResourceFixture.ORIGIN),
                ErrorCode.NOT_FOUND, "NOT_AN_ORGANIZATION_MEMBER");
        assertError(() -> f.teams.addMember(f.owner, team.teamId(), "bob", ResourceFixture.ORIGIN),
                ErrorCode.NOT_FOUND, "NOT_AN_ORGANIZATION_MEMBER");
    }

    @Test
    void removeMemberWhenInTeamThenGoneElseNotFound() {
        Team team = f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);
        String userId = f.member(Role.MEMBER);
        f.teams.addMember(f.owner, team.teamId(), userId, ResourceFixture.ORIGIN);

        f.teams.removeMember(f.owner, team.teamId(), userId, ResourceFixture.ORIGIN);

        assertThat(f.teams.show(f.owner, team.teamId()).members()).isEmpty();
        assertThat(f.audit.events("team.member_removed")).hasSize(1);
        assertError(() -> f.teams.removeMember(f.owner, team.teamId(), userId, ResourceFixture.ORIGIN),
                ErrorCode.NOT_FOUND, "NOT_A_TEAM_MEMBER");
    }

    @Test
    void deleteRemovesMembersAndGrantsToTheTeam() {
        Team team = f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);
        String userId = f.member(Role.MEMBER);
        f.teams.addMember(f.owner, team.teamId(), userId, ResourceFixture.ORIGIN);
        Resource resource = f.resources.create(f.owner, "API", "https://api.example.com", List.of("read"),
                ResourceFixture.ORIGIN);
        f.grants.set(f.owner, resource.resourceId(), team.teamId(), List.of("read"), ResourceFixture.ORIGIN);
        assertThat(f.granted.forUser(resource.audience(), userId, List.of()).scopes()).containsExactly("read");

        f.teams.delete(f.owner, team.teamId(), ResourceFixture.ORIGIN);

        assertError(() -> f.teams.show(f.owner, team.teamId()), ErrorCode.NOT_FOUND, null);
        assertThat(f.teamStore.teamIds(f.organizationId, userId)).isEmpty();
        assertThat(f.grants.list(f.owner, resource.resourceId())).isEmpty();
        assertThat(f.granted.forUser(resource.audience(), userId, List.of()).scopes()).isEmpty();
        assertThat(f.audit.events("team.deleted")).hasSize(1);
    }

    @Test
    void deleteWhenTeamChangedMeanwhileThenConflict() {
        Team team = f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);
        f.teamStore.addMember(f.teamStore.find(f.organizationId, team.teamId()).orElseThrow(),
                new TeamMember(f.organizationId, team.teamId(), f.ownerId, ResourceFixture.T0, f.ownerId),
                eventFor(team));

        assertError(() -> f.teamStore.delete(team, eventFor(team)), ErrorCode.CONFLICT, "CONCURRENT_CHANGE");
    }

    private AuditEvent eventFor(Team team) {
        return AuditEvent.builder(f.ids, f.clock).organizationId(f.organizationId)
                .actor(f.owner.caller().actor()).action("team.test").target("team", team.teamId())
                .requestId("req-x").build();
    }

    @Test
    void anotherOrganizationsTeamIsNotFoundAndUnknownIdsToo() {
        Team team = f.teams.create(f.owner, "Platform", ResourceFixture.ORIGIN);
        OrgAccess other = new OrgAccess(f.ids.next(IdPrefix.ORGANIZATION), new Caller.User(f.ownerId, "ses_x"),
                Role.OWNER.permissions());

        assertError(() -> f.teams.show(other, team.teamId()), ErrorCode.NOT_FOUND, null);
        assertError(() -> f.teams.rename(other, team.teamId(), "X", ResourceFixture.ORIGIN), ErrorCode.NOT_FOUND,
                null);
        assertError(() -> f.teams.delete(other, team.teamId(), ResourceFixture.ORIGIN), ErrorCode.NOT_FOUND, null);
        assertError(() -> f.teams.show(f.owner, "team_nope"), ErrorCode.NOT_FOUND, null);
        assertThat(f.teams.list(other)).isEmpty();
    }

    @Test
    void grantToATeamOfAnotherOrganizationIsRefused() {
        OrgAccess other = new OrgAccess(f.ids.next(IdPrefix.ORGANIZATION), new Caller.User(f.ownerId, "ses_x"),
                Role.OWNER.permissions());
        Team foreign = f.teams.create(other, "Foreign", ResourceFixture.ORIGIN);
        Resource resource = f.resources.create(f.owner, "API", "https://api.example.com", List.of("read"),
                ResourceFixture.ORIGIN);

        assertError(() -> f.grants.set(f.owner, resource.resourceId(), foreign.teamId(), List.of("read"),
                ResourceFixture.ORIGIN), ErrorCode.NOT_FOUND, null);
        assertThat(f.grants.list(f.owner, resource.resourceId())).extracting(Grant::granteeType)
                .doesNotContain(GranteeType.TEAM);
    }
}
