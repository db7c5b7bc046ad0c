package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.IssueSignInTokens;
import dev.latchkey.core.application.TestApplications;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.session.RefreshToken;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionException;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.token.AccessTokenVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Applications' refresh tokens ({@code offline_access}, OIDC Core §11, §12; RFC 6749 §6; RFC 9700 §4.14.2) on
 * in-memory fakes, through {@link OAuthProtocol#token}: issued with the code only when {@code offline_access} is
 * granted; the refresh grant answers a new access token, a new ID token (§12.2) and a rotated refresh token; reuse
 * revokes the family; another client, an ended sign-in session, a disabled user, a deleted application, a widened
 * scope are refused.
 */
class ApplicationRefreshGrantTest {

    private final SignInFixture s = new SignInFixture();

    private AuthorizationCodeResponse token(OAuthRequest request) {
        return (AuthorizationCodeResponse) s.protocol.token(request);
    }

    private OAuthError refused(OAuthRequest request) {
        return catchThrowableOfType(OAuthError.class, () -> s.protocol.token(request));
    }

    private AuthorizationCodeResponse signIn(Application app) {
        return token(s.publicRequest(app, s.code(app)));
    }

    private static OAuthRequest refresh(Application app, String refreshToken, String... more) {
        List<String> pairs = new java.util.ArrayList<>(List.of("grant_type", "refresh_token", "client_id",
                app.clientId(), "refresh_token", refreshToken));
        pairs.addAll(List.of(more));
        return OAuthFixture.form(pairs.toArray(String[]::new));
    }

    private Session family(String refreshToken) {
        String id = s.f.crypto.tokenId(RefreshToken.parse(refreshToken).orElseThrow());
        return s.f.sessions.find(s.f.sessions.findRefreshToken(id).orElseThrow().sessionId()).orElseThrow();
    }

    @Test
    void codeWhenOfflineAccessGrantedThenRefreshTokenAndOfflineAccessInScope() {
        AuthorizationCodeResponse response = signIn(s.publicApp);

        assertThat(response.refreshToken()).hasValueSatisfying(t -> assertThat(t).startsWith("lka_"));
        assertThat(response.scope()).contains("openid email profile offline_access");
        Session family = family(response.refreshToken().orElseThrow());
        assertThat(family.application()).hasValueSatisfying(app -> {
            assertThat(app.clientId()).isEqualTo(s.publicApp.clientId());
            assertThat(app.signInSessionId()).isEqualTo(s.login.sessionId());
        });
        assertThat(family.sessionId()).isNotEqualTo(s.login.sessionId());
    }

    @Test
    void codeWhenOfflineAccessNotRequestedOrNotAllowedThenNoRefreshToken() {
        AuthorizationCodeResponse notAsked = token(s.publicRequest(s.publicApp, s.code(s.publicApp,
                List.of("openid", "email"), List.of("pwd"))));
        Application online = TestApplications.publicApp().clientId(s.f.ids.next(IdPrefix.APPLICATION))
                .redirectUris(SignInFixture.REDIRECT).scopes("openid", "email").build();
        s.applications.put(online);
        AuthorizationCodeResponse notAllowed = signIn(online);

        assertThat(notAsked.refreshToken()).isEmpty();
        assertThat(notAllowed.refreshToken()).isEmpty();
        assertThat(notAllowed.scope()).contains("openid email");
    }

    @Test
    void refreshWhenActiveTokenThenNewAccessTokenNewIdTokenOfTheSameSignInAndARotatedToken() throws Exception {
        AuthorizationCodeResponse first = signIn(s.publicApp);
        JWTClaimsSet original = SignedJWT.parse(first.idToken()).getJWTClaimsSet();
        s.f.clock.advance(Duration.ofMinutes(20));

        AuthorizationCodeResponse refreshed = token(refresh(s.publicApp, first.refreshToken().orElseThrow()));

        assertThat(refreshed.refreshToken()).isPresent().isNotEqualTo(first.refreshToken());
        assertThat(refreshed.scope()).contains("openid email profile offline_access");
        SignedJWT idToken = SignedJWT.parse(refreshed.idToken());
        assertThat(idToken.verify(new RSASSAVerifier(s.f.keys.rsaSigningKey().publicKey()))).isTrue();
        JWTClaimsSet claims = idToken.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(original.getIssuer());
        assertThat(claims.getSubject()).isEqualTo(original.getSubject());
        assertThat(claims.getAudience()).isEqualTo(original.getAudience());
        assertThat(claims.getStringClaim("azp")).isEqualTo(original.getStringClaim("azp"));
        assertThat(claims.getLongClaim("auth_time")).isEqualTo(original.getLongClaim("auth_time"));
        assertThat(claims.getStringClaim("sid")).isEqualTo(s.login.sessionId());
        assertThat(claims.getClaims()).doesNotContainKey("nonce");
        assertThat(claims.getIssueTime()).isAfter(original.getIssueTime());
        var access = new AccessTokenVerifier(s.f.keys, SessionFixture.ISSUER,
                Set.of(IssueSignInTokens.userinfoAudience(SessionFixture.ISSUER)), s.f.clock)
                .verify(refreshed.accessToken()).claims();
        assertThat(access.clientId()).contains(s.publicApp.clientId());
        assertThat(access.sessionId()).contains(s.login.sessionId());
        assertThat(access.isManagement()).isFalse();
        assertThat(s.f.live.isLive(access)).isTrue();
        assertThat(family(refreshed.refreshToken().orElseThrow()).generation()).isEqualTo(2);
    }

    @Test
    void refreshWhenRotatedTokenReusedAfterTheGraceThenInvalidGrantAndTheWholeFamilyRevoked() {
        String first = signIn(s.publicApp).refreshToken().orElseThrow();
        String second = token(refresh(s.publicApp, first)).refreshToken().orElseThrow();
        s.f.clock.advance(Duration.ofSeconds(11));

        OAuthError reuse = refused(refresh(s.publicApp, first));
        OAuthError newest = refused(refresh(s.publicApp, second));

        assertThat(reuse.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(newest.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(family(second).revokeReason()).contains(SessionEndReason.REFRESH_TOKEN_REUSE);
        AuditEvent event = s.audit.events("session.refresh_reuse_detected").get(0);
        assertThat(event.details()).containsEntry("client_id", s.publicApp.clientId())
                .containsEntry("presented_generation", "1").containsEntry("current_generation", "2");
        assertThat(s.f.sessions.find(s.login.sessionId()).orElseThrow().status()).isEqualTo(SessionStatus.ACTIVE);
    }

    @Test
    void refreshWhenRotatedTokenRetriedWithinTheGraceThenTheSameSuccessor() {
        String first = signIn(s.publicApp).refreshToken().orElseThrow();
        String second = token(refresh(s.publicApp, first)).refreshToken().orElseThrow();
        s.f.clock.advance(Duration.ofSeconds(5));

        AuthorizationCodeResponse retried = token(refresh(s.publicApp, first));

        assertThat(retried.refreshToken()).contains(second);
        assertThat(family(second).status()).isEqualTo(SessionStatus.ACTIVE);
    }

    @Test
    void refreshWhenAnotherApplicationPresentsTheTokenThenInvalidGrantAndTheOwnerKeepsIt() {
        String token = signIn(s.publicApp).refreshToken().orElseThrow();

        OAuthError other = refused(refresh(s.es256App, token));

        assertThat(other.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(s.audit.events("session.refresh_failed").get(0).details()).containsEntry("reason", "wrong_client");
        assertThat(token(refresh(s.publicApp, token)).refreshToken()).isPresent();
    }

    @Test
    void refreshWhenConfidentialApplicationWithoutItsSecretThenInvalidClientAndTheTokenUntouched() {
        String token = token(OAuthFixture.basic(s.confidentialApp.clientId(), s.secret, "grant_type",
                "authorization_code", "code", s.code(s.confidentialApp), "redirect_uri", SignInFixture.REDIRECT,
                "code_verifier", SignInFixture.VERIFIER)).refreshToken().orElseThrow();

        OAuthError noSecret = refused(refresh(s.confidentialApp, token));
        AuthorizationCodeResponse withSecret = token(OAuthFixture.basic(s.confidentialApp.clientId(), s.secret,
                "grant_type", "refresh_token", "refresh_token", token));

        assertThat(noSecret.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(withSecret.refreshToken()).isPresent();
    }

    @Test
    void refreshWhenScopeNarrowedThenFewerClaimsAndWhenWidenedThenInvalidScopeWithTheTokenUnspent()
            throws Exception {
        String token = token(s.publicRequest(s.publicApp, s.code(s.publicApp, List.of("openid", "email",
                "offline_access"), List.of("pwd")))).refreshToken().orElseThrow();

        OAuthError widened = refused(refresh(s.publicApp, token, "scope", "openid email profile"));
        OAuthError withoutOpenid = refused(refresh(s.publicApp, token, "scope", "email"));
        AuthorizationCodeResponse narrowed = token(refresh(s.publicApp, token, "scope", "openid offline_access"));

        assertThat(widened.code()).isEqualTo(OAuthError.Code.INVALID_SCOPE);
        assertThat(withoutOpenid.code()).isEqualTo(OAuthError.Code.INVALID_SCOPE);
        assertThat(narrowed.scope()).contains("openid offline_access");
        assertThat(SignedJWT.parse(narrowed.idToken()).getJWTClaimsSet().getClaims()).doesNotContainKey("email");
    }

    @Test
    void refreshWhenTheSignInSessionEndedThenInvalidGrantAndTheFamilyRevoked() {
        String token = signIn(s.publicApp).refreshToken().orElseThrow();
        s.f.sessions.revoke(s.login.sessionId(), s.f.clock.instant(), SessionEndReason.LOGOUT);

        OAuthError e = refused(refresh(s.publicApp, token));

        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(family(token).revokeReason()).contains(SessionEndReason.SIGN_IN_SESSION_ENDED);
        assertThat(s.audit.events("session.refresh_failed").get(0).details())
                .containsEntry("reason", "sign_in_session_ended");
    }

    @Test
    void refreshWhenUserDisabledThenInvalidGrant() {
        String token = signIn(s.publicApp).refreshToken().orElseThrow();
        s.users.setDisabled(s.user.id(), true);

        assertThat(refused(refresh(s.publicApp, token)).code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(s.audit.events("session.refresh_failed").get(0).details()).containsEntry("reason", "user_disabled");
    }

    @Test
    void refreshWhenApplicationDeletedThenInvalidClient() {
        String token = signIn(s.publicApp).refreshToken().orElseThrow();
        s.applications.delete(s.publicApp, AuditEvent.builder(s.f.ids, s.f.clock)
                .organizationId(s.publicApp.organizationId()).actor(Actor.user("usr_test"))
                .action("application.deleted").requestId("req-del").build());

        OAuthError e = refused(refresh(s.publicApp, token));

        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
    }

    @Test
    void refreshWhenApplicationTokenWithoutClientOrSignInTokenAsApplicationThenRefused() {
        String token = signIn(s.publicApp).refreshToken().orElseThrow();

        OAuthError noClient = refused(OAuthFixture.form("grant_type", "refresh_token", "refresh_token", token));
        SessionException asSignIn = catchThrowableOfType(SessionException.class,
                () -> s.f.refresh.refresh(token, "203.0.113.9", "req-x"));

        assertThat(noClient.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(asSignIn.isInvalidGrant()).isTrue();
        assertThat(family(token).status()).isEqualTo(SessionStatus.ACTIVE);
    }

    @Test
    void codeWhenReplayedThenTheFirstRedemptionsRefreshFamilyIsRevoked() {
        String code = s.code(s.publicApp);
        String token = token(s.publicRequest(s.publicApp, code)).refreshToken().orElseThrow();

        refused(s.publicRequest(s.publicApp, code));

        assertThat(family(token).revokeReason()).contains(SessionEndReason.TOKEN_REVOKED);
        assertThat(refused(refresh(s.publicApp, token)).code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
    }

    @Test
    void refreshWhenActiveTokenThenFourSessionStoreCalls() {
        String token = signIn(s.publicApp).refreshToken().orElseThrow();
        int before = s.f.sessions.calls();

        token(refresh(s.publicApp, token));

        // findRefreshToken, find (family), find (sign-in session), rotate; the user is read from the users store.
        assertThat(s.f.sessions.calls() - before).isEqualTo(4);
    }

    @Test
    void revokeWhenPublicApplicationRevokesItsRefreshTokenThenTheFamilyEndsAndTheSignInSessionStays() {
        String token = signIn(s.publicApp).refreshToken().orElseThrow();

        s.protocol.revoke(OAuthFixture.form("token", token, "client_id", s.publicApp.clientId(), "token_type_hint",
                "refresh_token"));

        assertThat(family(token).revokeReason()).contains(SessionEndReason.TOKEN_REVOKED);
        assertThat(refused(refresh(s.publicApp, token)).code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(s.f.sessions.find(s.login.sessionId()).orElseThrow().status()).isEqualTo(SessionStatus.ACTIVE);
    }
}
