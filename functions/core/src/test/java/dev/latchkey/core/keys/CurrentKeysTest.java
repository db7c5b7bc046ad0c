package dev.latchkey.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.InMemoryKeyVault;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CurrentKeysTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final KeyPolicy POLICY = KeyPolicy.defaults();
    private static final Duration REFRESH = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryKeyRingRepository repository = new InMemoryKeyRingRepository();
    private final InMemoryKeyVault vault = new InMemoryKeyVault();
    private final RotateSigningKeys rotate = new RotateSigningKeys(repository, vault, POLICY,
            new InMemoryAuditLog(clock), new SortableIdGenerator(clock, new SecureRandom()), clock, new SecureRandom());
    private final CurrentKeys keys = new CurrentKeys(repository, vault, POLICY, clock, REFRESH);

    @Test
    void signingKeyWhenNoRotationRanThenServiceUnavailable() {
        assertThatThrownBy(keys::signingKey).isInstanceOf(NoActiveKeyException.class);
    }

    @Test
    void signingKeyIsOpenedOncePerKeyAndFollowsARotationWithinTheRefresh() {
        String first = rotate.run("t").activeKid();
        assertThat(keys.signingKey().kid()).isEqualTo(first);
        assertThat(keys.signingKey()).isSameAs(keys.signingKey());
        clock.advance(POLICY.rotationInterval());
        assertThat(keys.signingKey().kid()).isEqualTo(first);
        String second = rotate.run("t").activeKid();
        assertThat(second).isNotEqualTo(first);
        assertThat(keys.signingKey().kid()).as("within the refresh, the loaded ring is used").isEqualTo(first);
        clock.advance(REFRESH);
        assertThat(keys.signingKey().kid()).isEqualTo(second);
        assertThat(keys.byKid(first)).as("the retired key still verifies").isPresent();
    }

    @Test
    void byKidWhenUnknownThenReloadsAtMostOncePer30Seconds() {
        rotate.run("t");
        keys.jwks();
        int loads = repository.loads();
        for (int i = 0; i < 100; i++) {
            assertThat(keys.byKid("made-up-kid-" + i)).isEmpty();
        }
        assertThat(repository.loads()).isEqualTo(loads);
        clock.advance(Duration.ofSeconds(30));
        keys.byKid("another-made-up-kid");
        assertThat(repository.loads()).isEqualTo(loads + 1);
    }

    @Test
    void jwksPublishesNextAndActivePublicMembersOnlyWithAStableEtag() {
        rotate.run("t");
        Jwks jwks = keys.jwks();
        var document = Json.mapper().readTree(jwks.body());
        assertThat(document.path("keys")).hasSize(4);
        document.path("keys").forEach(key -> {
            if (key.path("kty").asString().equals("RSA")) {
                assertThat(key.propertyNames()).containsExactlyInAnyOrder("kty", "n", "e", "kid", "use", "alg");
                assertThat(key.path("alg").asString()).isEqualTo("RS256");
            } else {
                assertThat(key.propertyNames()).containsExactlyInAnyOrder("kty", "crv", "x", "y", "kid", "use", "alg");
                assertThat(key.path("kty").asString()).isEqualTo("EC");
                assertThat(key.path("alg").asString()).isEqualTo("ES256");
            }
        });
        assertThat(jwks.etag()).startsWith("\"").endsWith("\"");
        assertThat(keys.jwks().etag()).isEqualTo(jwks.etag());
        assertThat(jwks.matches(jwks.etag())).isTrue();
        assertThat(jwks.matches("W/" + jwks.etag() + ", \"other\"")).isTrue();
        assertThat(jwks.matches("\"other\"")).isFalse();
        assertThat(jwks.maxAgeSeconds()).isEqualTo(600);
    }

    @Test
    void jwksWhenNothingChangedThenTheSameDocumentAndAfterAReloadTheReloadedRingsOne() {
        rotate.run("t");
        Jwks jwks = keys.jwks();
        assertThat(keys.jwks()).as("built once for an unchanged ring").isSameAs(jwks);
        rotate.run("t2");
        clock.advance(REFRESH);
        Jwks after = keys.jwks();
        assertThat(after.etag()).as("the reloaded ring's document")
                .isEqualTo(Jwks.of(repository.load(), clock.instant(), POLICY).etag());
        assertThat(keys.jwks()).isSameAs(after);
    }

    @Test
    void refreshMustBeShorterThanRetention() {
        assertThatThrownBy(() -> new CurrentKeys(repository, vault, POLICY, clock, POLICY.retention()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void policyRejectsALeadShorterThanTwiceTheJwksCacheLifetime() {
        assertThatThrownBy(() -> new KeyPolicy(Duration.ofDays(30), Duration.ofMinutes(15), Duration.ofMinutes(10),
                Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
