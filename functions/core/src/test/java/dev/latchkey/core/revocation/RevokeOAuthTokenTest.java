package dev.latchkey.core.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.apikey.ApiKeyException;
import dev.latchkey.core.apikey.ApiKeyFixture;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.apikey.InspectApiKey;
import dev.latchkey.core.apikey.VerificationFailure;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.client.ClientAuthenticationException;
import dev.latchkey.core.client.ClientAuthenticationFailure;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.core.token.AccessTokenVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 7009 for every kind of token, with in-memory fakes: revoked, or refused, never a success that did nothing. */
class RevokeOAuthTokenTest {

    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-revoke");
    private static final String CLIENT = "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P1";

    private final SessionFixture f = new SessionFixture();
    private final ApiKeyFixture k = new ApiKeyFixture();
    private final RevokeOAuthToken revoke = new RevokeOAuthToken(f.keys, () -> SessionFixture.ISSUER, f.sessions,
            f.revoke, new InspectApiKey(k.repository, k.hasher, k.clock), k.manage, f.audit, f.ids, f.clock);
    private final ServiceClient client = new ServiceClient(CLIENT, f.organizationId, "worker", List.of(),
            f.clock.instant(), "usr_test", List.of(), List.of());

    private String clientToken(String clientId) {
        AccessTokenIssuer issuer = new AccessTokenIssuer(f.keys.signingKey(), f.clock, f.random);
        return issuer.issue(issuer.newClaims(Duration.ofMinutes(15)).issuer(SessionFixture.ISSUER).subject(clientId)
                .clientId(clientId).audience("https://api.example.com").org(f.organizationId).build());
    }

    private AccessTokenClaims claims(String token) {
        return AccessTokenVerifier.forAnyAudience(f.keys, SessionFixture.ISSUER, f.clock).verify(token).claims();
    }

    private long events(String action) {
        return f.audit.events().stream().filter(e -> e.action().equals(action)).count();
    }

    @Test
    @DisplayName("a refresh token ends its session; again → nothing")
    void revokeWhenRefreshTokenThenSessionEnded() {
        TokenResponse login = f.login();

        assertThat(revoke.revoke(login.refreshToken(), Optional.empty(), ORIGIN))
                .isEqualTo(RevocationResult.SESSION_ENDED);
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(revoke.revoke(login.refreshToken(), Optional.empty(), ORIGIN)).isEqualTo(RevocationResult.NOTHING);
    }

    @Test
    @DisplayName("an access token: jti denied until exp + the largest leeway, audited once, the session kept")
    void revokeWhenAccessTokenThenDeniedAndAuditedOnce() {
        TokenResponse login = f.login();
        AccessTokenClaims claims = claims(login.accessToken());

        assertThat(revoke.revoke(login.accessToken(), Optional.empty(), ORIGIN))
                .isEqualTo(RevocationResult.ACCESS_TOKEN_REVOKED);
        assertThat(revoke.revoke(login.accessToken(), Optional.empty(), ORIGIN)).isEqualTo(RevocationResult.NOTHING);

        assertThat(f.sessions.denied()).containsEntry(claims.jwtId(),
                claims.expiresAt().plus(AccessTokenVerifier.MAX_LEEWAY));
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals(RevokeOAuthToken.ACCESS_TOKEN_REVOKED))
                .singleElement().satisfies(e -> {
                    assertThat(e.actor()).isEqualTo(Actor.user(f.user.id()));
                    assertThat(e.organizationId()).contains(f.organizationId);
                    assertThat(e.details()).containsEntry("use", "management")
                            .containsEntry("session_id", login.sessionId());
                    assertThat(e.toString()).doesNotContain(login.accessToken());
                });
    }

    @Test
    @DisplayName("an expired, foreign-signed or malformed token: nothing, no error, no event")
    void revokeWhenExpiredOrGarbageThenNothing() {
        TokenResponse login = f.login();
        f.clock.advance(Duration.ofHours(1));

        for (String token : List.of(login.accessToken(), "a.b.c", "garbage", "")) {
            assertThat(revoke.revoke(token, Optional.empty(), ORIGIN)).as(token).isEqualTo(RevocationResult.NOTHING);
        }
        assertThat(f.sessions.denied()).isEmpty();
        assertThat(events(RevokeOAuthToken.ACCESS_TOKEN_REVOKED)).isZero();
    }

    @Test
    @DisplayName("Issue 11 §5: an API key is revoked as the revoke route does, by itself, with the reason")
    void revokeWhenApiKeyThenRevokedByItself() {
        CreatedApiKey created = k.create();

        assertThat(revoke.revoke(created.token().value(), Optional.empty(), ORIGIN))
                .isEqualTo(RevocationResult.API_KEY_REVOKED);

        assertThat(k.verify(created.token()).failure()).contains(VerificationFailure.REVOKED);
        assertThat(k.repository.find(created.key().id()).orElseThrow().revocation()).hasValueSatisfying(r -> {
            assertThat(r.revokedBy()).isEqualTo(created.key().id());
            assertThat(r.reason()).contains(RevokeOAuthToken.API_KEY_REASON);
        });
        assertThat(revoke.revoke(created.token().value(), Optional.empty(), ORIGIN))
                .as("a revoked key: nothing more").isEqualTo(RevocationResult.NOTHING);
        assertThat(revoke.revoke(k.unknownKey().value(), Optional.empty(), ORIGIN)).isEqualTo(RevocationResult.NOTHING);
    }

    @Test
    @DisplayName("RFC 7009 §2.2: a key deleted between the check and the revocation → nothing, not an error")
    void revokeWhenApiKeyDeletedMeanwhileThenNothing() {
        CreatedApiKey created = k.create();
        k.repository.afterNextFind(() -> k.manage.delete(k.owner, created.key().id(), ORIGIN));

        assertThat(revoke.revoke(created.token().value(), Optional.empty(), ORIGIN))
                .isEqualTo(RevocationResult.NOTHING);
        assertThat(k.repository.stored(created.key().id())).isEmpty();
    }

    @Test
    @DisplayName("an API-key revocation that keeps losing to concurrent changes → 503 (retry), never a 400")
    void revokeWhenApiKeyKeepsChangingConcurrentlyThenUnavailable() {
        CreatedApiKey created = k.create();
        k.repository.afterNextFind(() -> k.repository.failWith(
                ApiKeyException.conflict("CONCURRENT_CHANGE", "The key changed meanwhile.")));

        assertThatThrownBy(() -> revoke.revoke(created.token().value(), Optional.empty(), ORIGIN))
                .isInstanceOf(StoreUnavailableException.class);
        k.repository.heal();
        assertThat(k.verify(created.token()).valid()).as("not revoked").isTrue();
    }

    @Test
    @DisplayName("RFC 7009 §2.1: a client's token only by that client, authenticated")
    void revokeWhenClientTokenThenOnlyByItsClient() {
        String token = clientToken(CLIENT);
        String other = clientToken("cli_01JD3ZK8W6Q4V8S2M9N7T5R3P2");

        assertThatThrownBy(() -> revoke.revoke(token, Optional.empty(), ORIGIN))
                .isInstanceOfSatisfying(ClientAuthenticationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ClientAuthenticationFailure.CLIENT_MISMATCH));
        assertThatThrownBy(() -> revoke.revoke(other, Optional.of(client), ORIGIN))
                .isInstanceOf(ClientAuthenticationException.class);
        assertThat(f.sessions.denied()).isEmpty();

        assertThat(revoke.revoke(token, Optional.of(client), ORIGIN)).isEqualTo(RevocationResult.ACCESS_TOKEN_REVOKED);
        assertThat(f.sessions.denied()).containsKey(claims(token).jwtId());
    }

    @Test
    @DisplayName("RFC 7009 §2.1: a user's tokens and an API key are not a service client's: refused, audited, kept")
    void revokeWhenUserTokensOrKeyWithClientThenRefusedAndAudited() {
        TokenResponse login = f.login();
        CreatedApiKey created = k.create();

        for (String token : List.of(login.refreshToken(), login.accessToken(), created.token().value())) {
            assertThatThrownBy(() -> revoke.revoke(token, Optional.of(client), ORIGIN))
                    .isInstanceOf(ClientAuthenticationException.class);
        }

        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(f.sessions.denied()).isEmpty();
        assertThat(k.verify(created.token()).valid()).isTrue();
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals(RevokeOAuthToken.REVOCATION_REFUSED))
                .extracting(e -> e.details().get("kind")).containsExactly("refresh_token", "access_token", "api_key");
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals(RevokeOAuthToken.REVOCATION_REFUSED))
                .allSatisfy(e -> {
                    assertThat(e.outcome()).isEqualTo(Outcome.FAILURE);
                    assertThat(e.actor()).isEqualTo(Actor.client(CLIENT));
                });
        assertThat(revoke.revoke("lkr_unknown", Optional.of(client), ORIGIN))
                .as("an unknown token with a client: nothing, no error").isEqualTo(RevocationResult.NOTHING);
    }
}
