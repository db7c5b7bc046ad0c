package dev.latchkey.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.ResourceFixture;
import dev.latchkey.core.team.Team;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link RefreshSession} with a {@link RefreshTarget} (RFC 8707): the grant model decides before anything is
 * written, so a refused target or scope never spends the refresh token.
 */
class RefreshSessionResourceTest {

    private static final String AUDIENCE = "https://api.example.com";

    private final SessionFixture f = new SessionFixture();
    private final ResourceFixture r = new ResourceFixture();
    private final RefreshSession refresh = new RefreshSession(f.sessions, f.users, f.crypto, f.tokens, f.policy,
            r.granted, f.audit, f.ids, f.clock, f.random);
    private final Resource resource;
    private final Team team;

    RefreshSessionResourceTest() {
        r.memberships.put(r.organizationId, f.user.id(), Role.MEMBER);
        resource = r.resources.create(r.owner, "API", AUDIENCE, List.of("read", "write", "admin"),
                ResourceFixture.ORIGIN);
        team = r.teams.create(r.owner, "backend", ResourceFixture.ORIGIN);
        r.teams.addMember(r.owner, team.teamId(), f.user.id(), ResourceFixture.ORIGIN);
        r.grants.set(r.owner, resource.resourceId(), f.user.id(), List.of("write"), ResourceFixture.ORIGIN);
        r.grants.set(r.owner, resource.resourceId(), team.teamId(), List.of("read"), ResourceFixture.ORIGIN);
    }

    private TokenResponse refresh(String token, RefreshTarget target) {
        return refresh.refresh(token, Optional.of(target), "203.0.113.10", "req-refresh");
    }

    private AccessTokenClaims claims(TokenResponse response) {
        return new AccessTokenVerifier(f.keys, SessionFixture.ISSUER, Set.of(AUDIENCE), f.clock)
                .verify(response.accessToken()).claims();
    }

    @Test
    @DisplayName("a member gets an access token for the resource with direct ∪ team grants; the token rotates")
    void refreshWithResourceWhenMemberThenDirectAndTeamScopes() {
        TokenResponse login = f.login();
        f.clock.advance(Duration.ofMinutes(1));

        TokenResponse response = refresh(login.refreshToken(), RefreshTarget.of(AUDIENCE));

        assertThat(response.scope()).contains("read write");
        assertThat(response.refreshToken()).isNotEqualTo(login.refreshToken());
        assertThat(response.sessionId()).isEqualTo(login.sessionId());
        assertThat(f.session(login.sessionId()).generation()).isEqualTo(2);
        AccessTokenClaims claims = claims(response);
        assertThat(claims.audience()).containsExactly(AUDIENCE);
        assertThat(claims.org()).contains(r.organizationId);
        assertThat(claims.scope()).containsExactly("read", "write");
        assertThat(claims.subject()).isEqualTo(f.user.id());
        assertThat(claims.sessionId()).contains(login.sessionId());
        assertThat(claims.amr()).containsExactly("pwd");
        assertThat(claims.authTime()).contains(SessionFixture.T0);
        assertThat(claims.clientId()).contains(SessionTokens.DEFAULT_FIRST_PARTY_CLIENT_ID);
        AuditEvent event = f.audit.events("session.refreshed").get(0);
        assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(event.organizationId()).contains(f.organizationId);
        assertThat(event.details()).containsEntry("resource_id", resource.resourceId())
                .containsEntry("scope", "read write").containsEntry("generation", "2");

        String json = new String(Json.write(response), StandardCharsets.UTF_8);
        assertThat(json).contains("\"scope\":\"read write\"");
    }

    @Test
    @DisplayName("without a target nothing changes: the session's own token, no scope in the response")
    void refreshWithoutTargetThenSessionTokenAndNoScope() {
        TokenResponse response = refresh.refresh(f.login().refreshToken(), Optional.empty(), "203.0.113.10", "r");

        assertThat(response.scope()).isEmpty();
        assertThat(f.verifier().verify(response.accessToken()).claims().scope()).isEmpty();
        assertThat(new String(Json.write(response), StandardCharsets.UTF_8)).doesNotContain("scope");
    }

    @Test
    @DisplayName("scope narrows, in the resource's order")
    void refreshWithScopeThenNarrowed() {
        TokenResponse response = refresh(f.login().refreshToken(),
                new RefreshTarget(AUDIENCE, Optional.of(List.of("read"))));

        assertThat(response.scope()).contains("read");
        assertThat(claims(response).scope()).containsExactly("read");
    }

    @Test
    @DisplayName("a non-member → invalid_target; nothing written, the refresh token still works")
    void refreshWithResourceWhenNotMemberThenInvalidTargetAndTokenUnspent() {
        r.memberships.remove(r.organizationId, f.user.id());
        TokenResponse login = f.login();

        assertThatThrownBy(() -> refresh(login.refreshToken(), RefreshTarget.of(AUDIENCE)))
                .isInstanceOf(InvalidTargetException.class);

        assertThat(f.session(login.sessionId()).generation()).isEqualTo(1);
        assertThat(f.audit.events("session.refresh_failed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "invalid_target"));
        TokenResponse later = f.refresh(login.refreshToken());
        assertThat(later.refreshToken()).isNotEqualTo(login.refreshToken());
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.ACTIVE);
    }

    @Test
    @DisplayName("an unknown audience → invalid_target, token unspent")
    void refreshWithUnknownResourceThenInvalidTarget() {
        TokenResponse login = f.login();

        assertThatThrownBy(() -> refresh(login.refreshToken(), RefreshTarget.of("https://other.example.com")))
                .isInstanceOf(InvalidTargetException.class);

        assertThat(refresh(login.refreshToken(), RefreshTarget.of(AUDIENCE)).scope()).contains("read write");
    }

    @Test
    @DisplayName("asking more than granted → invalid_scope; nothing written, the refresh token still works")
    void refreshWithScopeBeyondGrantThenInvalidScopeAndTokenUnspent() {
        TokenResponse login = f.login();

        assertThatThrownBy(() -> refresh(login.refreshToken(),
                new RefreshTarget(AUDIENCE, Optional.of(List.of("read", "admin")))))
                .isInstanceOf(InvalidScopeException.class);

        assertThat(f.session(login.sessionId()).generation()).isEqualTo(1);
        assertThat(f.audit.events("session.refresh_failed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "invalid_scope")
                        .containsEntry("resource_id", resource.resourceId()));
        assertThat(refresh(login.refreshToken(), RefreshTarget.of(AUDIENCE)).scope()).contains("read write");
    }

    @Test
    @DisplayName("a removed grant counts on the next refresh; no grant at all → a token without scope")
    void refreshAfterGrantRemovedThenScopeGone() {
        TokenResponse first = refresh(f.login().refreshToken(), RefreshTarget.of(AUDIENCE));
        r.grants.remove(r.owner, resource.resourceId(), f.user.id(), ResourceFixture.ORIGIN);

        TokenResponse second = refresh(first.refreshToken(), RefreshTarget.of(AUDIENCE));
        assertThat(second.scope()).contains("read");
        assertThat(claims(second).scope()).containsExactly("read");

        r.teams.removeMember(r.owner, team.teamId(), f.user.id(), ResourceFixture.ORIGIN);
        TokenResponse third = refresh(second.refreshToken(), RefreshTarget.of(AUDIENCE));
        assertThat(third.scope()).isEmpty();
        assertThat(claims(third).scope()).isEmpty();
        assertThat(claims(third).audience()).containsExactly(AUDIENCE);
    }

    @Test
    @DisplayName("a member removed from the organization is refused on the next refresh, token unspent")
    void refreshAfterMemberRemovedThenInvalidTarget() {
        TokenResponse first = refresh(f.login().refreshToken(), RefreshTarget.of(AUDIENCE));
        r.memberships.remove(r.organizationId, f.user.id());

        assertThatThrownBy(() -> refresh(first.refreshToken(), RefreshTarget.of(AUDIENCE)))
                .isInstanceOf(InvalidTargetException.class);
        assertThat(refresh.refresh(first.refreshToken(), "203.0.113.10", "r").refreshToken())
                .isNotEqualTo(first.refreshToken());
    }

    @Test
    @DisplayName("grace replay: the same successor, a fresh access token for the resource the replay names")
    void graceReplayWithResourceThenSameSuccessorAndResourceToken() {
        TokenResponse login = f.login();
        TokenResponse lost = refresh(login.refreshToken(), RefreshTarget.of(AUDIENCE));
        f.clock.advance(f.policy.reuseGrace());

        TokenResponse retry = refresh(login.refreshToken(), new RefreshTarget(AUDIENCE, Optional.of(List.of("read"))));

        assertThat(retry.refreshToken()).isEqualTo(lost.refreshToken());
        assertThat(retry.accessToken()).isNotEqualTo(lost.accessToken());
        assertThat(retry.scope()).contains("read");
        assertThat(claims(retry).scope()).containsExactly("read");
        assertThat(claims(retry).sessionId()).contains(login.sessionId());
        assertThat(f.session(login.sessionId()).generation()).isEqualTo(2);
        assertThat(f.audit.events("session.refreshed")).last().satisfies(e -> assertThat(e.details())
                .containsEntry("grace_replay", "true").containsEntry("resource_id", resource.resourceId()));

        TokenResponse plain = refresh.refresh(login.refreshToken(), "203.0.113.10", "r");
        assertThat(plain.refreshToken()).isEqualTo(lost.refreshToken());
        assertThat(plain.scope()).isEmpty();
        assertThat(f.verifier().verify(plain.accessToken()).claims().audience())
                .containsExactly(SessionFixture.ISSUER);
    }

    @Test
    @DisplayName("losing the rotation race: the winner's token, and the grant model asked once per request")
    void refreshWithResourceWhenParallelRefreshWinsThenSameTokenAndGrantsReadOnce() {
        TokenResponse login = f.login();
        TokenResponse[] winner = new TokenResponse[1];
        f.sessions.beforeNextRotate(() -> winner[0] = refresh(login.refreshToken(), RefreshTarget.of(AUDIENCE)));
        int before = r.resourceStore.reads();

        TokenResponse loser = refresh(login.refreshToken(), RefreshTarget.of(AUDIENCE));

        assertThat(loser.refreshToken()).isEqualTo(winner[0].refreshToken());
        assertThat(loser.scope()).contains("read write");
        assertThat(f.session(login.sessionId()).generation()).isEqualTo(2);
        assertThat(r.resourceStore.reads() - before).as("audience and grants: twice for two requests, not thrice")
                .isEqualTo(4);
    }

    @Test
    @DisplayName("grace replay with a refused target → invalid_target, the session stays active")
    void graceReplayWithRefusedTargetThenInvalidTargetAndSessionKept() {
        TokenResponse login = f.login();
        TokenResponse lost = refresh.refresh(login.refreshToken(), "203.0.113.10", "r");

        assertThatThrownBy(() -> refresh(login.refreshToken(), RefreshTarget.of("https://nope.example.com")))
                .isInstanceOf(InvalidTargetException.class);

        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(refresh(lost.refreshToken(), RefreshTarget.of(AUDIENCE)).scope()).contains("read write");
    }

    @Test
    @DisplayName("reuse detection does not depend on the resource: a reused token with any target revokes")
    void reusedTokenWithTargetThenInvalidGrantAndFamilyRevoked() {
        TokenResponse login = f.login();
        refresh(login.refreshToken(), RefreshTarget.of(AUDIENCE));
        f.clock.advance(f.policy.reuseGrace().plusMillis(1));

        assertThatThrownBy(() -> refresh(login.refreshToken(), RefreshTarget.of("https://nope.example.com")))
                .isInstanceOf(SessionException.class);

        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
    }

    @Test
    @DisplayName("an unknown refresh token with a target is invalid_grant, the resource never looked up")
    void unknownTokenWithTargetThenInvalidGrant() {
        int reads = r.resourceStore.reads();

        f.login();

        assertThatThrownBy(() -> refresh(RefreshToken.generate(f.random).value(), RefreshTarget.of(AUDIENCE)))
                .isInstanceOf(SessionException.class);

        assertThat(r.resourceStore.reads()).isEqualTo(reads);
    }

    @Test
    @DisplayName("the session-only constructor refuses every target")
    void refreshWithoutGrantModelThenEveryTargetRefused() {
        TokenResponse login = f.login();

        assertThatThrownBy(() -> f.refresh.refresh(login.refreshToken(), Optional.of(RefreshTarget.of(AUDIENCE)),
                "203.0.113.10", "r")).isInstanceOf(InvalidTargetException.class);
        assertThat(f.session(login.sessionId()).generation()).isEqualTo(1);
    }
}
