package dev.latchkey.core.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.ResourceAccess;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.core.token.InvalidTokenException.Reason;
import dev.latchkey.core.token.InvalidTokenException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The management routes' one authentication: a verifying token that is a management token (aud exactly the issuer,
 * {@code token_use} management) of a live session, or 401 {@code invalid_token}.
 */
class BearerAuthenticationTest {

    private final SessionFixture f = new SessionFixture();
    private final BearerAuthentication bearer = f.bearer();

    private AccessTokenIssuer signer() {
        return new AccessTokenIssuer(f.keys.signingKey(), f.clock, f.random);
    }

    /** Claims exactly like a session's own token, to change one thing. */
    private AccessTokenClaims.Builder managementClaims(TokenResponse login) {
        return f.verifier().verify(login.accessToken()).claims().toBuilder().jwtId("forged-" + login.sessionId());
    }

    private static void assertRefused(Runnable call, Reason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(InvalidTokenException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.headers()).containsEntry("www-authenticate", "Bearer error=\"invalid_token\"");
        });
    }

    @Test
    @DisplayName("Issue 11 §2: a normal login token is a management token and authenticates its user")
    void authenticateWhenLoginTokenThenUser() {
        TokenResponse login = f.login();
        AccessTokenClaims claims = f.verifier().verify(login.accessToken()).claims();

        assertThat(claims.audience()).containsExactly(SessionFixture.ISSUER);
        assertThat(claims.tokenUse()).contains(AccessTokenClaims.MANAGEMENT);
        assertThat(claims.isManagement()).isTrue();
        AuthenticatedUser caller = bearer.authenticate(Optional.of(login.accessToken()));
        assertThat(caller.userId()).isEqualTo(login.user().id());
        assertThat(caller.sessionId()).isEqualTo(login.sessionId());
        assertThat(caller.amr()).isEqualTo(claims.amr());
        assertThat(caller.authTime()).isEqualTo(claims.authTime()).isPresent();
    }

    @Test
    @DisplayName("Issue 11 §2: a user's resource token whose audience is the issuer is refused (no management marker)")
    void authenticateWhenResourceTokenWithIssuerAudienceThenNotForManagement() {
        TokenResponse login = f.login();
        Session session = f.session(login.sessionId());
        // A resource registered before reserved audiences were refused at creation: its audience is the issuer.
        Resource legacy = new Resource("res_01JD3ZK8W6Q4V8S2M9N7T5R3P1", f.organizationId, SessionFixture.ISSUER,
                "legacy", List.of("read"), f.clock.instant(), login.user().id());
        String token = f.tokens.accessToken(session, Optional.of(new ResourceAccess(legacy, List.of())));

        AccessTokenClaims claims = f.verifier().verify(token).claims();
        assertThat(claims.audience()).containsExactly(SessionFixture.ISSUER);
        assertThat(claims.sessionId()).contains(login.sessionId());
        assertThat(claims.tokenUse()).isEmpty();
        assertRefused(() -> bearer.authenticate(Optional.of(token)), Reason.NOT_FOR_MANAGEMENT);
    }

    @Test
    @DisplayName("Issue 11 §2: aud must be exactly [issuer]: a second audience or no marker is refused")
    void authenticateWhenAudienceNotExactlyIssuerOrUnmarkedThenNotForManagement() {
        TokenResponse login = f.login();
        String twoAudiences = signer().issue(managementClaims(login)
                .audience(SessionFixture.ISSUER, "https://api.example.com").build());
        String unmarked = signer().issue(managementClaims(login).tokenUse(null).build());
        String otherUse = signer().issue(managementClaims(login).tokenUse("resource").build());

        assertRefused(() -> bearer.authenticate(Optional.of(twoAudiences)), Reason.NOT_FOR_MANAGEMENT);
        assertRefused(() -> bearer.authenticate(Optional.of(unmarked)), Reason.NOT_FOR_MANAGEMENT);
        assertRefused(() -> bearer.authenticate(Optional.of(otherUse)), Reason.NOT_FOR_MANAGEMENT);
    }

    @Test
    @DisplayName("Issue 11 §2: an audience under the issuer's URL is not the issuer")
    void authenticateWhenAudienceUnderIssuerThenWrongAudience() {
        TokenResponse login = f.login();
        String under = signer().issue(managementClaims(login).audience(SessionFixture.ISSUER + "/v1").build());

        assertRefused(() -> bearer.authenticate(Optional.of(under)), Reason.WRONG_AUDIENCE);
    }

    @Test
    @DisplayName("a marked token without a user's session (sub not usr_, no sid) is refused")
    void authenticateWhenNoUserSessionThenInvalidClaim() {
        TokenResponse login = f.login();
        String noSid = signer().issue(managementClaims(login).sessionId(null).build());

        assertRefused(() -> bearer.authenticate(Optional.of(noSid)), Reason.INVALID_CLAIM);
    }

    @Test
    @DisplayName("Issue 11 §1 [7.4.1]: after logout the token fails on its next request, with one read per request")
    void authenticateWhenSessionEndedThenSessionEnded() {
        TokenResponse login = f.login();
        int before = f.sessions.calls();
        bearer.authenticate(Optional.of(login.accessToken()));
        assertThat(f.sessions.calls() - before).as("one store request per authenticated request").isEqualTo(1);

        f.endSession.end(login.refreshToken(), "203.0.113.10", "req-logout");

        assertRefused(() -> bearer.authenticate(Optional.of(login.accessToken())), Reason.SESSION_ENDED);
    }

    @Test
    @DisplayName("Issue 11 §1: end all sessions stops every session's access token at once")
    void authenticateWhenAllSessionsEndedThenEveryTokenFails() {
        TokenResponse first = f.login();
        TokenResponse second = f.login();

        f.endAllSessions.endAll(f.user.id(), dev.latchkey.core.session.SessionEndReason.ENDED_BY_USER,
                "203.0.113.10", "req-end-all");

        assertRefused(() -> bearer.authenticate(Optional.of(first.accessToken())), Reason.SESSION_ENDED);
        assertRefused(() -> bearer.authenticate(Optional.of(second.accessToken())), Reason.SESSION_ENDED);
    }

    @Test
    @DisplayName("Issue 11 §5: a revoked (denied) jti fails though its session lives")
    void authenticateWhenJtiRevokedThenRevoked() {
        TokenResponse login = f.login();
        AccessTokenClaims claims = f.verifier().verify(login.accessToken()).claims();
        f.sessions.denyAccessToken(claims.jwtId(), f.clock.instant(), claims.expiresAt().plus(Duration.ofMinutes(5)));

        assertRefused(() -> bearer.authenticate(Optional.of(login.accessToken())), Reason.REVOKED);
    }
}
