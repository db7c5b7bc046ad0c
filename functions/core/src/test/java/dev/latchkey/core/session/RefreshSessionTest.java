package dev.latchkey.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.ActorType;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.token.VerifiedAccessToken;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RefreshSessionTest {

    private final SessionFixture f = new SessionFixture();

    @Test
    @DisplayName("[10.4.5] every refresh rotates the token; the new one works, access token verifies")
    void refreshWhenActiveTokenThenRotatedAndAccessTokenVerifies() {
        TokenResponse login = f.login();
        f.clock.advance(Duration.ofMinutes(5));
        TokenResponse first = f.refresh(login.refreshToken());
        assertThat(first.refreshToken()).startsWith("lkr_").hasSize(47).isNotEqualTo(login.refreshToken());
        assertThat(first.sessionId()).isEqualTo(login.sessionId());
        assertThat(first.tokenType()).isEqualTo("Bearer");
        assertThat(first.expiresIn()).isEqualTo(900);
        assertThat(first.user()).isEqualTo(f.user);
        Session session = f.session(login.sessionId());
        assertThat(session.generation()).isEqualTo(2);
        assertThat(session.lastUsedAt()).isEqualTo(f.clock.instant());
        assertThat(session.idleExpiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofDays(14)));

        VerifiedAccessToken verified = f.verifier().verify(first.accessToken());
        assertThat(verified.claims().subject()).isEqualTo(f.user.id());
        assertThat(verified.claims().sessionId()).contains(login.sessionId());
        assertThat(verified.claims().org()).contains(f.organizationId);
        assertThat(verified.claims().amr()).containsExactly("pwd");
        assertThat(verified.claims().authTime()).contains(SessionFixture.T0);
        assertThat(verified.claims().audience()).containsExactly(SessionFixture.ISSUER);
        assertThat(verified.claims().scope()).isEmpty();

        f.clock.advance(Duration.ofMinutes(5));
        TokenResponse second = f.refresh(first.refreshToken());
        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(f.session(login.sessionId()).generation()).isEqualTo(3);
        assertThat(f.audit.events("session.refreshed")).hasSize(2)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS));
    }

    @Test
    @DisplayName("[10.4.5] a rotated token replayed after the grace revokes the family; the successor dies too")
    void refreshWhenRotatedTokenReplayedAfterGraceThenFamilyRevoked() {
        TokenResponse login = f.login();
        TokenResponse next = f.refresh(login.refreshToken());
        f.clock.advance(f.policy.reuseGrace().plusMillis(1));

        assertThatThrownBy(() -> f.refresh(login.refreshToken())).isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).isInvalidGrant()).isTrue());

        Session session = f.session(login.sessionId());
        assertThat(session.status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(session.revokeReason()).contains(SessionEndReason.REFRESH_TOKEN_REUSE);
        assertThat(session.revokedAt()).contains(f.clock.instant());
        AuditEvent reuse = f.audit.events("session.refresh_reuse_detected").get(0);
        assertThat(reuse.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(reuse.target().orElseThrow().id()).isEqualTo(login.sessionId());
        assertThat(reuse.organizationId()).contains(f.organizationId);
        assertThat(reuse.details()).containsEntry("reason", "refresh_token_reuse")
                .containsEntry("presented_generation", "1").containsEntry("current_generation", "2");

        assertThatThrownBy(() -> f.refresh(next.refreshToken())).isInstanceOf(SessionException.class);
        assertThat(f.audit.events("session.refresh_failed")).last()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "revoked"));
    }

    @Test
    @DisplayName("[10.4.5] a lost response: the same token retried within the grace returns the same successor")
    void refreshWhenRotatedTokenRetriedWithinGraceThenSameSuccessorAndNoSecondRotation() {
        TokenResponse login = f.login();
        TokenResponse lost = f.refresh(login.refreshToken());
        f.clock.advance(f.policy.reuseGrace());

        TokenResponse retry = f.refresh(login.refreshToken());

        assertThat(retry.refreshToken()).isEqualTo(lost.refreshToken());
        assertThat(retry.accessToken()).isNotEqualTo(lost.accessToken());
        assertThat(f.verifier().verify(retry.accessToken()).claims().sessionId()).contains(login.sessionId());
        assertThat(f.session(login.sessionId()).generation()).isEqualTo(2);
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(f.audit.events("session.refreshed")).last()
                .satisfies(e -> assertThat(e.details()).containsEntry("grace_replay", "true"));
        assertThat(f.refresh(retry.refreshToken()).refreshToken()).isNotEqualTo(retry.refreshToken());
    }

    @Test
    @DisplayName("[10.4.5] within the grace but the successor already used: reuse, family revoked")
    void refreshWhenRotatedTokenReplayedWithinGraceAfterSuccessorUsedThenFamilyRevoked() {
        TokenResponse login = f.login();
        TokenResponse next = f.refresh(login.refreshToken());
        TokenResponse third = f.refresh(next.refreshToken());

        assertThatThrownBy(() -> f.refresh(login.refreshToken())).isInstanceOf(SessionException.class);

        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(f.audit.events("session.refresh_reuse_detected")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("within_grace", "true"));
        assertThatThrownBy(() -> f.refresh(third.refreshToken())).isInstanceOf(SessionException.class);
    }

    @Test
    @DisplayName("[10.4.5] a refresh that loses the race to a parallel one gets the winner's token")
    void refreshWhenParallelRefreshWinsFirstThenBothGetTheSameNewToken() {
        TokenResponse login = f.login();
        TokenResponse[] winner = new TokenResponse[1];
        f.sessions.beforeNextRotate(() -> winner[0] = f.refresh(login.refreshToken()));

        TokenResponse loser = f.refresh(login.refreshToken());

        assertThat(loser.refreshToken()).isEqualTo(winner[0].refreshToken());
        assertThat(f.session(login.sessionId()).generation()).isEqualTo(2);
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.ACTIVE);
    }

    @Test
    @DisplayName("[10.4.8] idle expiry: unused for the idle lifetime → invalid_grant; each refresh extends it")
    void refreshWhenIdleLifetimePassedThenInvalidGrant() {
        TokenResponse login = f.login();
        f.clock.advance(Duration.ofDays(14).minusMillis(1));
        TokenResponse later = f.refresh(login.refreshToken());
        assertThat(f.session(login.sessionId()).idleExpiresAt())
                .isEqualTo(SessionFixture.T0.plus(Duration.ofDays(28)).minusMillis(1));
        f.clock.advance(Duration.ofDays(14));
        assertThatThrownBy(() -> f.refresh(later.refreshToken())).isInstanceOf(SessionException.class);
        assertThat(f.audit.events("session.refresh_failed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "idle_expired"));
        assertThat(f.session(login.sessionId()).status()).as("expiry is not revocation")
                .isEqualTo(SessionStatus.ACTIVE);
    }

    @Test
    @DisplayName("[10.4.8] absolute expiry: 30 days after login → invalid_grant however often refreshed")
    void refreshWhenAbsoluteLifetimePassedThenInvalidGrant() {
        String token = f.login().refreshToken();
        for (int day = 0; day < 29; day++) {
            f.clock.advance(Duration.ofDays(1));
            token = f.refresh(token).refreshToken();
        }
        Session session = f.session(f.sessions.tokens().get(0).sessionId());
        assertThat(session.idleExpiresAt()).as("idle expiry capped at the absolute one")
                .isEqualTo(session.absoluteExpiresAt());
        f.clock.set(SessionFixture.T0.plus(Duration.ofDays(30)));
        String last = token;

        assertThatThrownBy(() -> f.refresh(last)).isInstanceOf(SessionException.class);
        assertThat(f.audit.events("session.refresh_failed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "absolute_expired"));
    }

    @Test
    @DisplayName("[10.4.5] malformed tokens fail with invalid_grant before any I/O")
    void refreshWhenTokenMalformedThenInvalidGrantWithoutIo() {
        int calls = f.sessions.calls();
        int pepperCalls = f.peppers.calls();
        for (String bad : List.of("", "lkr_", "lkr_short", "lk_" + "A".repeat(44), "lkr_" + "A".repeat(42) + "B",
                "lkr_" + "A".repeat(42) + "=", "LKR_" + "A".repeat(43), "eyJhbGciOiJFUzI1NiJ9.e30.sig")) {
            assertThatThrownBy(() -> f.refresh(bad)).as(bad).isInstanceOf(SessionException.class);
        }
        assertThatThrownBy(() -> f.refresh(null)).isInstanceOf(SessionException.class);
        assertThat(f.sessions.calls()).isEqualTo(calls);
        assertThat(f.peppers.calls()).isEqualTo(pepperCalls);
        assertThat(f.audit.events("session.refresh_failed")).isEmpty();
    }

    @Test
    @DisplayName("[16.3.1] an unknown, well-formed token: invalid_grant, audited anonymously without a tenant")
    void refreshWhenTokenUnknownThenInvalidGrantAndAnonymousAudit() {
        String unknown = RefreshToken.generate(f.random).value();

        assertThatThrownBy(() -> f.refresh(unknown)).isInstanceOf(SessionException.class)
                .hasMessage("The refresh token is invalid, expired or revoked.");

        AuditEvent event = f.audit.events("session.refresh_failed").get(0);
        assertThat(event.actor().type()).isEqualTo(ActorType.ANONYMOUS);
        assertThat(event.organizationId()).isEmpty();
        assertThat(event.details()).containsEntry("reason", "unknown_token");
        assertThat(event.sourceIp()).contains("203.0.113.10");
    }

    @Test
    @DisplayName("[7.4.1] a revoked session cannot refresh")
    void refreshWhenSessionRevokedThenInvalidGrant() {
        TokenResponse login = f.login();
        f.endSession.end(login.refreshToken(), "203.0.113.10", "req-logout");

        assertThatThrownBy(() -> f.refresh(login.refreshToken())).isInstanceOf(SessionException.class);
        assertThat(f.session(login.sessionId()).generation()).isEqualTo(1);
    }

    @Test
    @DisplayName("a deleted user cannot refresh")
    void refreshWhenUserNoLongerExistsThenInvalidGrant() {
        TokenResponse login = f.login();
        f.userTable.remove(f.user.id());

        assertThatThrownBy(() -> f.refresh(login.refreshToken())).isInstanceOf(SessionException.class);
        assertThat(f.audit.events("session.refresh_failed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "user_missing"));
        assertThat(f.session(login.sessionId()).generation()).isEqualTo(1);
    }

    @Test
    @DisplayName("[10.4.5] the store keeps keyed hashes and sealed successors only, never a token")
    void refreshStoresNoPlaintextToken() {
        TokenResponse login = f.login();
        TokenResponse next = f.refresh(login.refreshToken());
        assertThat(f.sessions.tokens()).hasSize(2).allSatisfy(record -> {
            assertThat(record.toString()).doesNotContain(login.refreshToken(), next.refreshToken(),
                    login.refreshToken().substring(4), next.refreshToken().substring(4));
        });
        assertThat(f.sessions.tokens()).extracting(RefreshTokenRecord::successorSealed)
                .contains(Optional.empty()).hasSize(2);
        assertThat(f.audit.events()).allSatisfy(e -> assertThat(e.toString())
                .doesNotContain(login.refreshToken(), next.refreshToken(), next.accessToken()));
    }
}
