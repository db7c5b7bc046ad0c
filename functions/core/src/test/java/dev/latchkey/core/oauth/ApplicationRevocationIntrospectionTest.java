package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.client.AssertionSigner;
import dev.latchkey.core.revocation.RevokeOAuthToken;
import dev.latchkey.core.session.RefreshToken;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.SessionStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An application's own tokens at {@code /oauth/revoke} (RFC 7009 §2.1) and {@code /oauth/introspect} (RFC 7662
 * §2.1) on in-memory fakes, through {@link OAuthProtocol}: a confidential application authenticates with its
 * registered method ({@code client_secret_basic}, {@code private_key_jwt}) and revokes or introspects the tokens
 * issued to it; another client's token is refused at revocation (401 {@code invalid_client}, nothing revoked) and
 * inactive at introspection; a public application cannot introspect; service clients keep their behaviour.
 */
class ApplicationRevocationIntrospectionTest {

    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final SignInFixture s = new SignInFixture();

    private AuthorizationCodeResponse signInConfidential() {
        return (AuthorizationCodeResponse) s.protocol.token(OAuthFixture.basic(s.confidentialApp.clientId(),
                s.secret, "grant_type", "authorization_code", "code", s.code(s.confidentialApp), "redirect_uri",
                SignInFixture.REDIRECT, "code_verifier", SignInFixture.VERIFIER));
    }

    private AuthorizationCodeResponse signInPublic() {
        return (AuthorizationCodeResponse) s.protocol.token(s.publicRequest(s.publicApp, s.code(s.publicApp)));
    }

    private String assertion(Application app, String audience) {
        return AssertionSigner.sign(s.ec, "ec-1", app.clientId(), audience, s.f.clock.instant());
    }

    private AuthorizationCodeResponse signInWithJwt() {
        return (AuthorizationCodeResponse) s.protocol.token(OAuthFixture.form("grant_type", "authorization_code",
                "client_assertion_type", ASSERTION_TYPE, "client_assertion",
                assertion(s.jwtApp, SessionFixture.ISSUER + "/oauth/token"), "code", s.code(s.jwtApp),
                "redirect_uri", SignInFixture.REDIRECT, "code_verifier", SignInFixture.VERIFIER));
    }

    private Session family(String refreshToken) {
        String id = s.f.crypto.tokenId(RefreshToken.parse(refreshToken).orElseThrow());
        return s.f.sessions.find(s.f.sessions.findRefreshToken(id).orElseThrow().sessionId()).orElseThrow();
    }

    private OAuthRequest basicForConfidential(String... pairs) {
        return OAuthFixture.basic(s.confidentialApp.clientId(), s.secret, pairs);
    }

    @Test
    void revokeWhenConfidentialApplicationRevokesItsOwnRefreshTokenThenTheFamilyEndsAndRefreshIsRefused() {
        String token = signInConfidential().refreshToken().orElseThrow();

        s.protocol.revoke(basicForConfidential("token", token, "token_type_hint", "refresh_token"));

        Session family = family(token);
        assertThat(family.status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(family.revokeReason()).contains(SessionEndReason.TOKEN_REVOKED);
        OAuthError refresh = catchThrowableOfType(OAuthError.class, () -> s.protocol.token(basicForConfidential(
                "grant_type", "refresh_token", "refresh_token", token)));
        assertThat(refresh.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(s.f.sessions.find(s.login.sessionId()).orElseThrow().status()).isEqualTo(SessionStatus.ACTIVE);
        s.protocol.revoke(basicForConfidential("token", token));
        assertThat(s.f.audit.events("session.revoked")).hasSize(1);
    }

    @Test
    void revokeWhenPrivateKeyJwtAddressedToTheRevocationEndpointThenTheFamilyEnds() {
        String token = signInWithJwt().refreshToken().orElseThrow();

        s.protocol.revoke(OAuthFixture.form("client_id", s.jwtApp.clientId(), "client_assertion_type",
                ASSERTION_TYPE, "client_assertion", assertion(s.jwtApp, SessionFixture.ISSUER + "/oauth/revoke"),
                "token", token));

        assertThat(family(token).status()).isEqualTo(SessionStatus.REVOKED);
    }

    @Test
    void revokeWhenAnotherApplicationsTokenThenInvalidClientNothingRevokedAndAudited() {
        String publicToken = signInPublic().refreshToken().orElseThrow();

        OAuthError e = catchThrowableOfType(OAuthError.class, () -> s.protocol.revoke(basicForConfidential(
                "token", publicToken)));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(e.headers()).containsKey("www-authenticate");
        assertThat(e.description()).startsWith("The token was not issued to the requesting client");
        assertThat(family(publicToken).status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(s.f.audit.events(RevokeOAuthToken.REVOCATION_REFUSED)).singleElement().satisfies(event -> {
            assertThat(event.actor().id()).isEqualTo(s.confidentialApp.clientId());
            assertThat(event.details()).containsEntry("kind", "refresh_token");
        });
    }

    @Test
    void revokeWhenApplicationSendsASignInSessionTokenOrAnUnknownOneThenRefusedOrNothing() {
        OAuthError session = catchThrowableOfType(OAuthError.class, () -> s.protocol.revoke(basicForConfidential(
                "token", s.login.refreshToken())));
        s.protocol.revoke(basicForConfidential("token", "lka_" + "A".repeat(43)));

        assertThat(session.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(s.f.sessions.find(s.login.sessionId()).orElseThrow().status()).isEqualTo(SessionStatus.ACTIVE);
    }

    @Test
    void revokeWhenWrongSecretOrUnregisteredMethodThenInvalidClientBeforeTheTokenIsLookedAt() {
        String token = signInConfidential().refreshToken().orElseThrow();

        OAuthError wrong = catchThrowableOfType(OAuthError.class, () -> s.protocol.revoke(OAuthFixture.basic(
                s.confidentialApp.clientId(), "lkcs_wrong", "token", token)));
        OAuthError post = catchThrowableOfType(OAuthError.class, () -> s.protocol.revoke(OAuthFixture.form(
                "client_id", s.confidentialApp.clientId(), "client_secret", s.secret, "token", token)));

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(wrong.headers()).containsKey("www-authenticate");
        assertThat(post.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(family(token).status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(s.audit.events("client.authentication_failed")).hasSize(2);
    }

    @Test
    void revokeWhenApplicationRevokesItsOwnAccessTokenThenDeniedAndAnotherApplicationsIsRefused() {
        AuthorizationCodeResponse own = signInConfidential();
        AuthorizationCodeResponse other = signInPublic();

        s.protocol.revoke(basicForConfidential("token", own.accessToken()));
        OAuthError refused = catchThrowableOfType(OAuthError.class, () -> s.protocol.revoke(basicForConfidential(
                "token", other.accessToken())));

        assertThat(s.f.audit.events(RevokeOAuthToken.ACCESS_TOKEN_REVOKED)).hasSize(1);
        assertThat(refused.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(s.protocol.introspect(basicForConfidential("token", own.accessToken())))
                .isEqualTo(Map.of("active", false));
    }

    @Test
    void revokeWhenPublicApplicationSendsOnlyItsClientIdThenTheFamilyEndsAsBefore() {
        String token = signInPublic().refreshToken().orElseThrow();

        s.protocol.revoke(OAuthFixture.form("client_id", s.publicApp.clientId(), "token", token));

        assertThat(family(token).status()).isEqualTo(SessionStatus.REVOKED);
    }

    @Test
    void introspectWhenConfidentialApplicationsOwnRefreshTokenThenActiveWithItsMembers() {
        AuthorizationCodeResponse response = signInConfidential();
        String token = response.refreshToken().orElseThrow();
        Session family = family(token);

        Map<String, Object> body = s.protocol.introspect(basicForConfidential("token", token));

        assertThat(body).containsEntry("active", true)
                .containsEntry("client_id", s.confidentialApp.clientId())
                .containsEntry("sub", s.user.id())
                .containsEntry("scope", "openid email profile offline_access")
                .containsEntry("token_type", "refresh_token")
                .containsEntry("iss", SessionFixture.ISSUER)
                .containsEntry("sid", s.login.sessionId())
                .containsEntry("exp", family.idleExpiresAt().isBefore(family.absoluteExpiresAt())
                        ? family.idleExpiresAt().getEpochSecond() : family.absoluteExpiresAt().getEpochSecond());
        assertThat(body.toString()).doesNotContain(token);
    }

    @Test
    void introspectWhenPrivateKeyJwtApplicationsOwnTokenAndAccessTokenThenActive() {
        AuthorizationCodeResponse response = signInWithJwt();

        Map<String, Object> refresh = s.protocol.introspect(OAuthFixture.form("client_assertion_type",
                ASSERTION_TYPE, "client_assertion", assertion(s.jwtApp, SessionFixture.ISSUER + "/oauth/introspect"),
                "token", response.refreshToken().orElseThrow()));
        Map<String, Object> access = s.protocol.introspect(OAuthFixture.form("client_assertion_type",
                ASSERTION_TYPE, "client_assertion", assertion(s.jwtApp, SessionFixture.ISSUER),
                "token", response.accessToken()));

        assertThat(refresh).containsEntry("active", true).containsEntry("client_id", s.jwtApp.clientId());
        assertThat(access).containsEntry("active", true).containsEntry("client_id", s.jwtApp.clientId())
                .containsEntry("token_type", "Bearer").containsEntry("sub", s.user.id())
                .containsEntry("sid", s.login.sessionId());
    }

    @Test
    void introspectWhenAnotherClientsTokenRotatedOrSignInEndedThenInactive() {
        String publicToken = signInPublic().refreshToken().orElseThrow();
        String first = signInConfidential().refreshToken().orElseThrow();
        String rotated = ((AuthorizationCodeResponse) s.protocol.token(basicForConfidential("grant_type",
                "refresh_token", "refresh_token", first))).refreshToken().orElseThrow();

        Map<String, Object> other = s.protocol.introspect(basicForConfidential("token", publicToken));
        Map<String, Object> old = s.protocol.introspect(basicForConfidential("token", first));
        Map<String, Object> sessionToken = s.protocol.introspect(basicForConfidential("token",
                s.login.refreshToken()));
        Map<String, Object> live = s.protocol.introspect(basicForConfidential("token", rotated));
        s.f.sessions.revoke(s.login.sessionId(), s.f.clock.instant(), SessionEndReason.LOGOUT);
        Map<String, Object> signedOut = s.protocol.introspect(basicForConfidential("token", rotated));

        assertThat(other).isEqualTo(Map.of("active", false));
        assertThat(old).isEqualTo(Map.of("active", false));
        assertThat(sessionToken).isEqualTo(Map.of("active", false));
        assertThat(live).containsEntry("active", true);
        assertThat(signedOut).isEqualTo(Map.of("active", false));
    }

    @Test
    void introspectWhenExpiredFamilyThenInactive() {
        String token = signInConfidential().refreshToken().orElseThrow();
        s.f.clock.advance(Duration.ofDays(15));

        assertThat(s.protocol.introspect(basicForConfidential("token", token))).isEqualTo(Map.of("active", false));
    }

    @Test
    void introspectWhenPublicApplicationOrWrongSecretThenInvalidClient() {
        String token = signInPublic().refreshToken().orElseThrow();

        OAuthError clientIdOnly = catchThrowableOfType(OAuthError.class, () -> s.protocol.introspect(
                OAuthFixture.form("client_id", s.publicApp.clientId(), "token", token)));
        OAuthError publicWithSecret = catchThrowableOfType(OAuthError.class, () -> s.protocol.introspect(
                OAuthFixture.basic(s.publicApp.clientId(), "anything", "token", token)));
        OAuthError wrong = catchThrowableOfType(OAuthError.class, () -> s.protocol.introspect(
                OAuthFixture.basic(s.confidentialApp.clientId(), "lkcs_wrong", "token", token)));

        assertThat(clientIdOnly.status()).isEqualTo(401);
        assertThat(publicWithSecret.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(wrong.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
    }

    @Test
    void introspectAndRevokeWhenServiceClientPresentsAnApplicationsTokenThenInactiveAndRefused() {
        String token = signInPublic().refreshToken().orElseThrow();

        Map<String, Object> body = s.protocol.introspect(OAuthFixture.basic(OAuthFixture.CLIENT, s.o.secret,
                "token", token));
        OAuthError e = catchThrowableOfType(OAuthError.class, () -> s.protocol.revoke(OAuthFixture.basic(
                OAuthFixture.CLIENT, s.o.secret, "token", token)));

        assertThat(body).isEqualTo(Map.of("active", false));
        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(family(token).status()).isEqualTo(SessionStatus.ACTIVE);
    }
}
