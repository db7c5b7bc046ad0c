package dev.latchkey.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.ActorType;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.keys.InMemoryKeyRingRepository;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.NoActiveKeyException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StartSessionTest {

    private final SessionFixture f = new SessionFixture();

    @Test
    @DisplayName("login opens a session: generation 1, 14 days idle, 30 days absolute, audited")
    void startCreatesSessionFirstRefreshTokenAndAccessToken() {
        TokenResponse response = f.start.start(new StartSessionCommand(f.user, f.organizationId, List.of("hwk", "user"),
                "2001:db8::7", "req-1"));

        assertThat(response.sessionId()).startsWith("ses_");
        assertThat(RefreshToken.parse(response.refreshToken())).isPresent();
        Session session = f.session(response.sessionId());
        assertThat(session.userId()).isEqualTo(f.user.id());
        assertThat(session.organizationId()).isEqualTo(f.organizationId);
        assertThat(session.amr()).containsExactly("hwk", "user");
        assertThat(session.generation()).isEqualTo(1);
        assertThat(session.status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(session.idleExpiresAt()).isEqualTo(SessionFixture.T0.plus(Duration.ofDays(14)));
        assertThat(session.absoluteExpiresAt()).isEqualTo(SessionFixture.T0.plus(Duration.ofDays(30)));
        var claims = f.verifier().verify(response.accessToken()).claims();
        assertThat(claims.amr()).containsExactly("hwk", "user");
        assertThat(claims.expiresAt()).isEqualTo(SessionFixture.T0.plus(Duration.ofMinutes(15)));
        assertThat(claims.issuer()).isEqualTo(SessionFixture.ISSUER);

        AuditEvent started = f.audit.events("session.started").get(0);
        assertThat(started.actor().type()).isEqualTo(ActorType.USER);
        assertThat(started.actor().id()).isEqualTo(f.user.id());
        assertThat(started.target().orElseThrow().id()).isEqualTo(response.sessionId());
        assertThat(started.sourceIp()).contains("2001:db8::7");
        assertThat(started.details()).containsEntry("amr", "hwk user");
    }

    @Test
    @DisplayName("the token response has the API.md shape in snake_case; toString shows no token")
    void tokenResponseSerializesAsApiDocumentsAndHidesTokens() {
        TokenResponse response = f.login();
        JsonNode json = Json.mapper().readTree(Json.write(response));
        assertThat(json.propertyNames()).containsExactlyInAnyOrder("access_token", "token_type", "expires_in",
                "refresh_token", "session_id", "user");
        assertThat(json.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(json.path("expires_in").asInt()).isEqualTo(900);
        assertThat(json.path("user").path("email").asString()).isEqualTo("ada@example.com");
        assertThat(json.path("user").path("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(response.toString()).doesNotContain(response.refreshToken(), response.accessToken(), "ada@");
    }

    @Test
    @DisplayName("[16.5.3] no active signing key: the login fails and nothing is written")
    void startWhenNoSigningKeyThenFailsAndWritesNothing() {
        var keys = new dev.latchkey.core.keys.CurrentKeys(new InMemoryKeyRingRepository(), f.vault,
                KeyPolicy.defaults(), f.clock, Duration.ofMinutes(5));
        var tokens = new SessionTokens(keys, () -> SessionFixture.ISSUER, f.policy, f.clock, f.random);
        var start = new StartSession(f.sessions, f.crypto, tokens, f.policy, f.audit, f.ids, f.clock, f.random);

        assertThatThrownBy(() -> start.start(new StartSessionCommand(f.user, f.organizationId, List.of("pwd"), "",
                ""))).isInstanceOf(NoActiveKeyException.class);
        assertThat(f.sessions.tokens()).isEmpty();
        assertThat(f.audit.events("session.started")).isEmpty();
    }

    @Test
    void startWhenIdsOrAmrMalformedThenRejected() {
        assertThatThrownBy(() -> f.start.start(new StartSessionCommand(f.user, "usr_x", List.of("pwd"), "", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.start.start(new StartSessionCommand(f.user, f.organizationId, List.of(), "", "")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void policyDefaultsAndInvariants() {
        SessionPolicy defaults = SessionPolicy.defaults();
        assertThat(defaults.accessTokenLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(defaults.idleLifetime()).isEqualTo(Duration.ofDays(14));
        assertThat(defaults.absoluteLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(defaults.reuseGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> new SessionPolicy(Duration.ofMinutes(15), Duration.ofDays(31), Duration.ofDays(30),
                Duration.ofSeconds(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionPolicy(Duration.ZERO, Duration.ofDays(1), Duration.ofDays(30),
                Duration.ofSeconds(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionPolicy(Duration.ofMinutes(15), Duration.ofDays(1), Duration.ofDays(30),
                Duration.ofMinutes(2))).isInstanceOf(IllegalArgumentException.class);
    }
}
