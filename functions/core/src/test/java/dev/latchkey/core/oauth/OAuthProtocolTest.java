package dev.latchkey.core.oauth;

import static dev.latchkey.core.oauth.OAuthFixture.API;
import static dev.latchkey.core.oauth.OAuthFixture.CLIENT;
import static dev.latchkey.core.oauth.OAuthFixture.basic;
import static dev.latchkey.core.oauth.OAuthFixture.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.apikey.ApiKeyFixture;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.client.AssertionSigner;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.TokenResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The grant handlers, revocation and introspection in core, on in-memory fakes: each answer and each OAuthError. */
class OAuthProtocolTest {

    private final OAuthFixture o = new OAuthFixture();

    private OAuthError refused(OAuthRequest request) {
        return catchThrowableOfType(OAuthError.class, () -> o.protocol.token(request));
    }

    @Test
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
        OAuthError e = refused(form("refresh_token", "x"));
        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_REQUEST);
        assertThat(e.description()).isEqualTo("Missing parameter grant_type.");
    }

    @Test
    void tokenWhenPasswordOrUnknownGrantThenUnsupportedGrantType() {
        for (String grant : new String[] {"password", "authorization_code", "x"}) {
            OAuthError e = refused(form("grant_type", grant, "username", "a", "password", "b"));
            assertThat(e.code()).as(grant).isEqualTo(OAuthError.Code.UNSUPPORTED_GRANT_TYPE);
            assertThat(e.status()).isEqualTo(400);
        }
    }

    @Test
    void refreshWhenValidThenRotatedTokenResponse() {
        TokenResponse login = o.f.login();
        Object answer = o.protocol.token(form("grant_type", "refresh_token", "refresh_token", login.refreshToken()));
        assertThat(answer).isInstanceOfSatisfying(TokenResponse.class, r -> {
            assertThat(r.sessionId()).isEqualTo(login.sessionId());
            assertThat(r.refreshToken()).isNotEqualTo(login.refreshToken());
            assertThat(r.scope()).isEmpty();
        });
    }

    @Test
    void refreshWhenScopeWithoutResourceThenInvalidScopeAndTokenUnspent() {
        TokenResponse login = o.f.login();
        OAuthError e = refused(form("grant_type", "refresh_token", "refresh_token", login.refreshToken(),
                "scope", "read"));
        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_SCOPE);
        assertThat(e.description()).isEqualTo("A refresh cannot change the scope.");
        assertThat(o.f.session(login.sessionId()).generation()).isEqualTo(1);
    }

    @Test
    void refreshWhenResourceThenScopedResponseElseTargetAndScopeErrors() {
        TokenResponse login = o.f.login();
        String token = login.refreshToken();
        assertThat(refused(form("grant_type", "refresh_token", "refresh_token", token, "resource", API,
                "audience", "https://other.example")).code()).isEqualTo(OAuthError.Code.INVALID_TARGET);
        assertThat(refused(form("grant_type", "refresh_token", "refresh_token", token, "resource",
                "https://other.example")).code()).isEqualTo(OAuthError.Code.INVALID_TARGET);
        OAuthError notGranted = refused(form("grant_type", "refresh_token", "refresh_token", token, "resource", API,
                "scope", "read write"));
        assertThat(notGranted.code()).isEqualTo(OAuthError.Code.INVALID_SCOPE);
        assertThat(notGranted.description()).isEqualTo("The requested scope is malformed or exceeds what is granted.");
        assertThat(refused(form("grant_type", "refresh_token", "refresh_token", token, "resource", API,
                "scope", "read  read_models")).code()).as("malformed").isEqualTo(OAuthError.Code.INVALID_SCOPE);

        TokenResponse scoped = (TokenResponse) o.protocol.token(form("grant_type", "refresh_token",
                "refresh_token", token, "resource", API, "scope", "read_models"));
        assertThat(scoped.scope()).contains("read_models");
    }

    @Test
    void refreshWhenTokenUnknownThenInvalidGrant() {
        OAuthError e = refused(form("grant_type", "refresh_token", "refresh_token", "nope"));
        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(e.body()).isEqualTo(Map.of("error", "invalid_grant",
                "error_description", "The refresh token is invalid, expired or revoked."));
    }

    @Test
    void clientCredentialsWhenBasicThenResourceTokenWithGrantedScopes() {
        Object answer = o.protocol.token(basic(CLIENT, o.secret, "grant_type", "client_credentials"));
        assertThat(answer).isInstanceOfSatisfying(AccessTokenResponse.class, r -> {
            assertThat(r.tokenType()).isEqualTo("Bearer");
            assertThat(r.issuedTokenType()).isEmpty();
            assertThat(r.scope()).contains("read write");
            assertThat(r.expiresIn()).isEqualTo(900);
        });
        assertThat(o.clientAudit.events("token.client_credentials")).hasSize(1);
    }

    @Test
    void clientCredentialsWhenNoCredentialsThenInvalidClientWithoutChallenge() {
        OAuthError e = refused(form("grant_type", "client_credentials", "client_id", CLIENT));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(e.headers()).isEmpty();
        assertThat(e.description()).isEqualTo("Client authentication failed.");
    }

    @Test
    void clientCredentialsWhenBasicSecretWrongThenInvalidClientWithBasicChallenge() {
        OAuthError e = refused(basic(CLIENT, o.secret + "x", "grant_type", "client_credentials"));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.headers()).containsExactlyEntriesOf(Map.of("www-authenticate", "Basic realm=\"latchkey\""));
        assertThat(e.description()).isEqualTo("Client authentication failed.").doesNotContain(o.secret);
    }

    @Test
    void clientCredentialsWhenTwoMethodsThenInvalidRequest() {
        OAuthError e = refused(basic(CLIENT, o.secret, "grant_type", "client_credentials", "client_id", CLIENT,
                "client_secret", o.secret));
        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_REQUEST);
        assertThat(e.description()).isEqualTo("Use exactly one client authentication method.");
    }

    @Test
    void clientCredentialsWhenScopeOrResourceNotGrantedThenInvalidScopeOrTarget() {
        assertThat(refused(basic(CLIENT, o.secret, "grant_type", "client_credentials", "scope", "read_models"))
                .code()).isEqualTo(OAuthError.Code.INVALID_SCOPE);
        assertThat(refused(basic(CLIENT, o.secret, "grant_type", "client_credentials", "resource",
                "https://other.example")).code()).isEqualTo(OAuthError.Code.INVALID_TARGET);
    }

    @Test
    void jwtBearerWhenAssertionValidThenTokenAndWhenReplayedThenInvalidGrant() {
        String assertion = AssertionSigner.sign(o.ed, "ed-1", CLIENT, SessionFixture.ISSUER, o.f.clock.instant());
        OAuthRequest request = form("grant_type", JwtBearerGrant.GRANT_TYPE, "assertion", assertion);

        assertThat(o.protocol.token(request)).isInstanceOf(AccessTokenResponse.class);
        OAuthError replayed = refused(request);
        assertThat(replayed.code()).isEqualTo(OAuthError.Code.INVALID_GRANT);
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(refused(form("grant_type", JwtBearerGrant.GRANT_TYPE)).description())
                .isEqualTo("Missing parameter assertion.");
    }

    @Test
    void exchangeWhenKeyValidThenAccessTokenWithIssuedTokenType() {
        CreatedApiKey created = o.k.create(ApiKeyFixture.command().permissions("read_models", "run_inference"));
        Object answer = o.protocol.token(form("grant_type", TokenExchangeGrant.GRANT_TYPE, "subject_token",
                created.token().value(), "subject_token_type", "urn:latchkey:params:oauth:token-type:api_key"));
        assertThat(answer).isInstanceOfSatisfying(AccessTokenResponse.class, r -> {
            assertThat(r.issuedTokenType()).contains("urn:ietf:params:oauth:token-type:access_token");
            assertThat(r.scope()).contains("read_models run_inference");
        });
    }

    @Test
    void exchangeWhenScopeIsNoPermissionThenInvalidScopeMalformed() {
        CreatedApiKey created = o.k.create(ApiKeyFixture.command().permissions("read_models"));
        for (String scope : new String[] {"READ", "read_models  read_models", "lk_x"}) {
            OAuthError e = refused(form("grant_type", TokenExchangeGrant.GRANT_TYPE, "subject_token",
                    created.token().value(), "subject_token_type", "urn:latchkey:params:oauth:token-type:api_key",
                    "scope", scope));
            assertThat(e.code()).as(scope).isEqualTo(OAuthError.Code.INVALID_SCOPE);
            assertThat(e.description()).as(scope).isEqualTo("The scope is malformed.");
        }
    }

    @Test
    void exchangeWhenKeyInvalidOrDelegationThenInvalidRequest() {
        OAuthError invalid = refused(form("grant_type", TokenExchangeGrant.GRANT_TYPE, "subject_token",
                "lk_nonsense", "subject_token_type", "urn:latchkey:params:oauth:token-type:api_key"));
        assertThat(invalid.body()).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "The API key is invalid, expired or revoked."));
        OAuthError actor = refused(form("grant_type", TokenExchangeGrant.GRANT_TYPE, "subject_token", "lk_x",
                "subject_token_type", "urn:latchkey:params:oauth:token-type:api_key", "actor_token", "y"));
        assertThat(actor.description()).isEqualTo("Delegation (actor_token) is not supported.");
    }

    @Test
    void exchangeWhenKeyOverItsLimitThenSlowDownWithHeaders() {
        String key = o.k.create(ApiKeyFixture.command().rateLimit(1, 60)).token().value();
        OAuthRequest request = form("grant_type", TokenExchangeGrant.GRANT_TYPE, "subject_token", key,
                "subject_token_type", "urn:latchkey:params:oauth:token-type:api_key");
        o.protocol.token(request);
        OAuthError e = refused(request);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.error()).isEqualTo("slow_down");
        assertThat(e.headers()).containsKeys("retry-after", "ratelimit-limit");
    }

    @Test
    void revokeWhenNoCredentialsAndUnknownTokenThenSucceeds() {
        o.protocol.revoke(form("token", "whatever"));
        OAuthError missing = catchThrowableOfType(OAuthError.class, () -> o.protocol.revoke(form()));
        assertThat(missing.description()).isEqualTo("Missing parameter token.");
    }

    @Test
    void revokeWhenUserTokenSentWithClientCredentialsThenTokenOfAnotherClient() {
        TokenResponse login = o.f.login();
        OAuthError e = catchThrowableOfType(OAuthError.class, () -> o.protocol.revoke(basic(CLIENT, o.secret,
                "token", login.refreshToken())));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(e.headers()).containsKey("www-authenticate");
        assertThat(e.description()).startsWith("The token was not issued to the requesting client");
    }

    @Test
    void introspectWhenNoClientThenInvalidClientElseInactiveForGarbage() {
        OAuthError e = catchThrowableOfType(OAuthError.class, () -> o.protocol.introspect(form("token", "x")));
        assertThat(e.status()).isEqualTo(401);
        assertThat(o.protocol.introspect(basic(CLIENT, o.secret, "token", "x")))
                .isEqualTo(Map.of("active", false));
    }

    @Test
    void grantsWhenGrantTypeRepeatedOrPasswordThenRejectedAtConstruction() {
        GrantHandler password = new GrantHandler() {
            @Override
            public String grantType() {
                return TokenGrants.PASSWORD;
            }

            @Override
            public Object handle(OAuthRequest request) {
                return Optional.empty();
            }
        };
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new TokenGrants(java.util.List.of(password)));
        TokenGrants grants = new TokenGrants(java.util.List.of());
        assertThat(grants.supports("refresh_token")).isFalse();
    }
}
