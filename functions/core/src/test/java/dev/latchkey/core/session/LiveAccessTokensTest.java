package dev.latchkey.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.InvalidTokenException;
import dev.latchkey.core.token.InvalidTokenException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The one liveness check behind every management route and introspection: the session named by {@code sid} is the
 * subject's and usable, and the {@code jti} is not revoked — from one read of the store.
 */
class LiveAccessTokensTest {

    private final SessionFixture f = new SessionFixture();
    private final LiveAccessTokens live = new LiveAccessTokens(f.sessions, f.clock);

    private AccessTokenClaims claims(TokenResponse login) {
        return f.verifier().verify(login.accessToken()).claims();
    }

    private static AccessTokenClaims with(AccessTokenClaims claims, String subject, String sessionId) {
        return claims.toBuilder().subject(subject).sessionId(sessionId).build();
    }

    @Test
    @DisplayName("[7.4.1] a live session passes with one read; after logout the same (still verifying) token does not")
    void requireWhenSessionEndedThenSessionEnded() {
        TokenResponse login = f.login();
        AccessTokenClaims claims = claims(login);
        int before = f.sessions.calls();
        live.require(claims);
        assertThat(f.sessions.calls() - before).as("one read for session and deny-list together").isEqualTo(1);

        f.endSession.end(login.refreshToken(), "203.0.113.10", "req-logout");

        assertThatThrownBy(() -> live.require(claims)).isInstanceOfSatisfying(InvalidTokenException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SESSION_ENDED));
        assertThat(live.isLive(claims)).isFalse();
    }

    @Test
    @DisplayName("another user's session id, an unknown one, and an idle-expired session are refused")
    void requireWhenForeignUnknownOrExpiredThenSessionEnded() {
        TokenResponse login = f.login();
        AccessTokenClaims owner = claims(login);
        AccessTokenClaims stranger = with(owner, "usr_01JD3ZK8W6Q4V8S2M9N7T5R3P1", login.sessionId());
        AccessTokenClaims unknown = with(owner, login.user().id(), "ses_01JD3ZK8W6Q4V8S2M9N7T5R3P1");

        assertThat(live.failure(stranger)).contains(Reason.SESSION_ENDED);
        assertThat(live.failure(unknown)).contains(Reason.SESSION_ENDED);
        assertThat(live.failure(owner)).isEmpty();
        f.clock.advance(f.policy.idleLifetime().plus(Duration.ofSeconds(1)));
        assertThat(live.failure(owner)).contains(Reason.SESSION_ENDED);
    }

    @Test
    @DisplayName("RFC 7009: a revoked jti is refused though its session lives; another token of the session is not")
    void requireWhenJtiDeniedThenRevoked() {
        TokenResponse login = f.login();
        AccessTokenClaims claims = claims(login);
        AccessTokenClaims sibling = claims(f.refresh(login.refreshToken()));

        assertThat(f.sessions.denyAccessToken(claims.jwtId(), f.clock.instant(), claims.expiresAt())).isTrue();
        assertThat(f.sessions.denyAccessToken(claims.jwtId(), f.clock.instant(), claims.expiresAt()))
                .as("a second revocation adds nothing").isFalse();

        assertThatThrownBy(() -> live.require(claims)).isInstanceOfSatisfying(InvalidTokenException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED));
        assertThat(live.isLive(sibling)).isTrue();
    }

    @Test
    @DisplayName("a token without sid (client, API key) is live unless its jti is denied")
    void failureWhenNoSessionThenOnlyDenyListCounts() {
        AccessTokenClaims client = AccessTokenClaims.builder().issuer(SessionFixture.ISSUER)
                .subject("cli_01JD3ZK8W6Q4V8S2M9N7T5R3P1").audience("https://api.example.com")
                .issuedAt(Instant.parse("2026-03-12T10:00:00Z")).lifetime(Duration.ofMinutes(15)).jwtId("j1").build();
        assertThat(client.sessionId()).isEqualTo(Optional.empty());
        assertThat(live.failure(client)).isEmpty();

        f.sessions.denyAccessToken("j1", f.clock.instant(), client.expiresAt());

        assertThat(live.failure(client)).contains(Reason.REVOKED);
    }
}
