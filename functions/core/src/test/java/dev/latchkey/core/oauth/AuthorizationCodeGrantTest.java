package dev.latchkey.core.oauth;

import static dev.latchkey.core.oauth.SignInFixture.REDIRECT;
import static dev.latchkey.core.oauth.SignInFixture.VERIFIER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.application.IssueSignInTokens;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.client.AssertionSigner;
import dev.latchkey.core.client.ClientAuthentication;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.SigningAlgorithm;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core §3.1.3) on in-memory fakes: the tokens
 * and each refusal of RFC 9700 (wrong redirect URI, wrong or missing verifier, replay → revocation, another client's
 * code, expiry, a public client with a secret, a confidential one without).
 */
class AuthorizationCodeGrantTest {

    private final SignInFixture s = new SignInFixture();

    private AuthorizationCodeResponse token(OAuthRequest request) {
        return (AuthorizationCodeResponse) s.protocol.token(request);
    }

    private OAuthError refused(OAuthRequest request) {
        return catchThrowableOfType(OAuthError.class, () -> s.protocol.token(request));
    }

    @Test
    void tokenWhenPublicClientWithPkceThenAccessAndIdTokenWithTheStandardClaims() throws Exception {
        String code = s.code(s.publicApp);

        AuthorizationCodeResponse response = token(s.publicRequest(s.publicApp, code));

        assertThat(response.tokenType()).isEqualTo("Bearer");
        assertThat(response.scope()).contains("openid email profile offline_access");
        assertThat(response.refreshToken()).isPresent();
        SignedJWT idToken = SignedJWT.parse(response.idToken());
        assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(idToken.getHeader().getKeyID()).isEqualTo(s.f.keys.rsaSigningKey().kid());
        assertThat(idToken.verify(new RSASSAVerifier(s.f.keys.rsaSigningKey().publicKey()))).isTrue();
        JWTClaimsSet claims = idToken.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(SessionFixture.ISSUER);
        assertThat(claims.getSubject()).isEqualTo(s.user.id());
        assertThat(claims.getAudience()).containsExactly(s.publicApp.clientId());
        assertThat(claims.getStringClaim("azp")).isEqualTo(s.publicApp.clientId());
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(claims.getStringClaim("sid")).isEqualTo(s.login.sessionId());
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(claims.getStringClaim("acr")).isEqualTo(IssueSignInTokens.ACR_SINGLE);
        assertThat(claims.getLongClaim("auth_time")).isEqualTo(s.f.clock.instant().getEpochSecond());
        assertThat(claims.getStringClaim("at_hash")).isNotBlank();
        assertThat(claims.getStringClaim("email")).isEqualTo("Grace@example.com");
        assertThat(claims.getBooleanClaim("email_verified")).isTrue();
        assertThat(claims.getStringClaim("name")).isEqualTo("Grace Hopper");
        var access = new AccessTokenVerifier(s.f.keys, SessionFixture.ISSUER,
                Set.of(IssueSignInTokens.userinfoAudience(SessionFixture.ISSUER)), s.f.clock)
                .verify(response.accessToken()).claims();
        assertThat(access.clientId()).contains(s.publicApp.clientId());
        assertThat(access.scope()).containsExactly("openid", "email", "profile", "offline_access");
        assertThat(access.isManagement()).isFalse();
        assertThat(s.audit.events(IssueSignInTokens.ISSUED)).hasSize(1);
    }

    @Test
    void tokenWhenScopeWithoutEmailOrProfileThenNoProfileClaims() throws Exception {
        String code = s.code(s.publicApp, List.of("openid", "offline_access"), List.of("hwk", "user", "mfa"));

        AuthorizationCodeResponse response = token(s.publicRequest(s.publicApp, code));

        JWTClaimsSet claims = SignedJWT.parse(response.idToken()).getJWTClaimsSet();
        assertThat(claims.getClaims()).doesNotContainKeys("email", "email_verified", "name");
        assertThat(claims.getStringClaim("acr")).isEqualTo(IssueSignInTokens.ACR_MFA);
        assertThat(response.scope()).contains("openid offline_access");
    }

    @Test
    void tokenWhenApplicationRegisteredEs256ThenIdTokenSignedWithTheEcKey() throws Exception {
        String code = s.code(s.es256App);

        SignedJWT idToken = SignedJWT.parse(token(s.publicRequest(s.es256App, code)).idToken());

        assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(idToken.verify(new ECDSAVerifier(s.f.keys.signingKey().publicKey()))).isTrue();
        assertThat(new dev.latchkey.core.keys.IdTokenMint(s.f.keys).signer(SigningAlgorithm.ES256).algorithm())
                .isEqualTo("ES256");
    }

    @Test
    void tokenWhenRedirectUriDiffersThenInvalidGrantAndTheCodeIsBurned() {
        String code = s.code(s.publicApp);

        OAuthError e = refused(OAuthFixture.form("grant_type", "authorization_code", "client_id",
                s.publicApp.clientId(), "code", code, "redirect_uri", REDIRECT + "/other", "code_verifier", VERIFIER));

        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(refused(s.publicRequest(s.publicApp, code)).code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
    }

    @Test
    void tokenWhenVerifierWrongOrMissingThenInvalidGrant() {
        String first = s.code(s.publicApp);
        String second = s.code(s.publicApp);

        OAuthError wrong = refused(OAuthFixture.form("grant_type", "authorization_code", "client_id",
                s.publicApp.clientId(), "code", first, "redirect_uri", REDIRECT, "code_verifier",
                VERIFIER.replace('d', 'e')));
        OAuthError missing = refused(OAuthFixture.form("grant_type", "authorization_code", "client_id",
                s.publicApp.clientId(), "code", second, "redirect_uri", REDIRECT));

        assertThat(wrong.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(missing.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(wrong.status()).isEqualTo(400);
    }

    @Test
    void tokenWhenCodeReplayedThenInvalidGrantAndTheFirstAccessTokenRevoked() {
        String code = s.code(s.publicApp);
        AuthorizationCodeResponse first = token(s.publicRequest(s.publicApp, code));
        var claims = new AccessTokenVerifier(s.f.keys, SessionFixture.ISSUER,
                Set.of(IssueSignInTokens.userinfoAudience(SessionFixture.ISSUER)), s.f.clock)
                .verify(first.accessToken()).claims();
        assertThat(s.f.live.isLive(claims)).isTrue();

        OAuthError replay = refused(s.publicRequest(s.publicApp, code));

        assertThat(replay.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(s.f.live.isLive(claims)).isFalse();
    }

    @Test
    void tokenWhenCodeOfAnotherClientThenInvalidGrant() {
        String code = s.code(s.es256App);

        assertThat(refused(s.publicRequest(s.publicApp, code)).code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
    }

    @Test
    void tokenWhenCodeOlderThanSixtySecondsThenInvalidGrant() {
        String code = s.code(s.publicApp);
        s.f.clock.advance(Duration.ofSeconds(61));

        assertThat(refused(s.publicRequest(s.publicApp, code)).code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
    }

    @Test
    void tokenWhenPublicClientPresentsASecretThenInvalidClientAudited() {
        String code = s.code(s.publicApp);

        OAuthError e = refused(OAuthFixture.form("grant_type", "authorization_code", "client_id",
                s.publicApp.clientId(), "client_secret", "lkcs_guess", "code", code, "redirect_uri", REDIRECT,
                "code_verifier", VERIFIER));

        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(e.status()).isEqualTo(401);
        AuditEvent event = s.audit.events(ClientAuthentication.FAILED).get(0);
        assertThat(event.details()).containsEntry("reason", "method_not_registered")
                .containsEntry("method", "client_secret_post");
        assertThat(token(s.publicRequest(s.publicApp, code)).idToken()).isNotBlank();
    }

    @Test
    void tokenWhenConfidentialClientSendsNoSecretOrAWrongOneThenInvalidClient() {
        String code = s.code(s.confidentialApp);

        OAuthError none = refused(s.publicRequest(s.confidentialApp, code));
        OAuthError wrong = refused(OAuthFixture.basic(s.confidentialApp.clientId(), "lkcs_wrong", "grant_type",
                "authorization_code", "code", code, "redirect_uri", REDIRECT, "code_verifier", VERIFIER));
        OAuthError otherMethod = refused(OAuthFixture.form("grant_type", "authorization_code", "client_id",
                s.confidentialApp.clientId(), "client_secret", s.secret, "code", code, "redirect_uri", REDIRECT,
                "code_verifier", VERIFIER));

        assertThat(none.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(wrong.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(wrong.headers()).containsKey("www-authenticate");
        assertThat(otherMethod.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(s.audit.events(ClientAuthentication.FAILED)).extracting(ev -> ev.details().get("reason"))
                .containsExactly("method_not_registered", "wrong_secret", "method_not_registered");
    }

    @Test
    void tokenWhenConfidentialClientAuthenticatesWithBasicThenTokens() {
        String code = s.code(s.confidentialApp);

        AuthorizationCodeResponse response = token(OAuthFixture.basic(s.confidentialApp.clientId(), s.secret,
                "grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "code_verifier",
                VERIFIER));

        assertThat(response.idToken()).isNotBlank();
    }

    @Test
    void tokenWhenPrivateKeyJwtThenTokensAndTheAssertionCannotBeReplayed() {
        String assertion = AssertionSigner.sign(s.ec, "ec-1", s.jwtApp.clientId(),
                SessionFixture.ISSUER + "/oauth/token", s.f.clock.instant());
        String code = s.code(s.jwtApp);

        AuthorizationCodeResponse response = token(OAuthFixture.form("grant_type", "authorization_code",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion, "code", code, "redirect_uri", REDIRECT, "code_verifier", VERIFIER));
        OAuthError replayed = refused(OAuthFixture.form("grant_type", "authorization_code",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion, "code", s.code(s.jwtApp), "redirect_uri", REDIRECT,
                "code_verifier", VERIFIER));

        assertThat(response.idToken()).isNotBlank();
        assertThat(replayed.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
    }

    @Test
    void tokenWhenUserDisabledThenInvalidGrant() {
        String code = s.code(s.publicApp);
        s.users.setDisabled(s.user.id(), true);

        assertThat(refused(s.publicRequest(s.publicApp, code)).code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
    }

    @Test
    void tokenWhenUnknownClientOrNoCodeThenInvalidClientOrInvalidRequest() {
        assertThat(refused(OAuthFixture.form("grant_type", "authorization_code", "client_id", "app_unknown",
                "code", "x")).code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(refused(OAuthFixture.form("grant_type", "authorization_code", "client_id",
                s.publicApp.clientId())).code()).isEqualTo(OAuthError.Code.INVALID_REQUEST);
    }
}
