package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.latchkey.core.vault.InMemoryKeyVault;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The life of a stored key: NEXT → ACTIVE → RETIRED, and when JWKS publishes it. */
class SigningKeyTest {

    private static final Instant T0 = TestKeys.NOW;
    private static final Duration RETENTION = Duration.ofMinutes(15).plusSeconds(30);

    private static SigningKey next() {
        return SigningKeys.generate(new InMemoryKeyVault(), TestKeys.clockAt(T0));
    }

    @Test
    void withStateWhenPromotedThenActivatedAtSet() {
        SigningKey active = next().withState(SigningKeyState.ACTIVE, T0.plusSeconds(60));

        assertThat(active.state()).isEqualTo(SigningKeyState.ACTIVE);
        assertThat(active.activatedAt()).contains(T0.plusSeconds(60));
        assertThat(active.retiredAt()).isEmpty();
        assertThat(active.createdAt()).isEqualTo(T0);
    }

    @Test
    void withStateWhenRetiredThenRetiredAtSetAndActivatedAtKept() {
        SigningKey retired = next().withState(SigningKeyState.ACTIVE, T0.plusSeconds(60))
                .withState(SigningKeyState.RETIRED, T0.plusSeconds(120));

        assertThat(retired.state()).isEqualTo(SigningKeyState.RETIRED);
        assertThat(retired.activatedAt()).contains(T0.plusSeconds(60));
        assertThat(retired.retiredAt()).contains(T0.plusSeconds(120));
    }

    @Test
    void withStateWhenNextKeyRetiredUnusedThenAllowed() {
        SigningKey retired = next().withState(SigningKeyState.RETIRED, T0.plusSeconds(5));

        assertThat(retired.activatedAt()).isEmpty();
        assertThat(retired.retiredAt()).contains(T0.plusSeconds(5));
    }

    @Test
    void withStateWhenBackwardsOrSameThenRejected() {
        SigningKey next = next();
        SigningKey active = next.withState(SigningKeyState.ACTIVE, T0);
        SigningKey retired = active.withState(SigningKeyState.RETIRED, T0);

        assertThatIllegalStateException().isThrownBy(() -> next.withState(SigningKeyState.NEXT, T0));
        assertThatIllegalStateException().isThrownBy(() -> active.withState(SigningKeyState.ACTIVE, T0));
        assertThatIllegalStateException().isThrownBy(() -> active.withState(SigningKeyState.NEXT, T0));
        assertThatIllegalStateException().isThrownBy(() -> retired.withState(SigningKeyState.ACTIVE, T0));
        assertThatIllegalStateException().isThrownBy(() -> retired.withState(SigningKeyState.RETIRED, T0));
    }

    @Test
    void constructorWhenKidIsNotThumbprintThenRejected() {
        SigningKey key = next();
        SigningKey other = next();

        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKey(other.kid(), key.state(),
                key.publicJwk(), key.sealedPrivateKey(), key.createdAt(), Optional.empty(), Optional.empty()));
    }

    @Test
    void constructorWhenTimestampsDoNotFitStateThenRejected() {
        SigningKey key = next();

        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKey(key.kid(), SigningKeyState.NEXT,
                key.publicJwk(), key.sealedPrivateKey(), T0, Optional.of(T0), Optional.empty()));
        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKey(key.kid(), SigningKeyState.ACTIVE,
                key.publicJwk(), key.sealedPrivateKey(), T0, Optional.empty(), Optional.empty()));
        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKey(key.kid(), SigningKeyState.ACTIVE,
                key.publicJwk(), key.sealedPrivateKey(), T0, Optional.of(T0), Optional.of(T0)));
        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKey(key.kid(), SigningKeyState.RETIRED,
                key.publicJwk(), key.sealedPrivateKey(), T0, Optional.of(T0), Optional.empty()));
    }

    @Test
    void toStringWhenPrintedThenNoSealedBytes() {
        SigningKey key = next();

        assertThat(key.toString()).contains(key.kid()).doesNotContain(key.sealedPrivateKey().encoded());
    }

    @Test
    void isPublishedAtWhenNextOrActiveThenAlways() {
        SigningKey next = next();
        SigningKey active = next.withState(SigningKeyState.ACTIVE, T0);

        assertThat(next.isPublishedAt(T0.plus(Duration.ofDays(3650)), RETENTION)).isTrue();
        assertThat(active.isPublishedAt(T0.plus(Duration.ofDays(3650)), RETENTION)).isTrue();
    }

    @Test
    void isPublishedAtWhenRetiredThenUntilRetentionEnds() {
        Instant retiredAt = T0.plusSeconds(600);
        SigningKey retired = next().withState(SigningKeyState.ACTIVE, T0).withState(SigningKeyState.RETIRED, retiredAt);

        assertThat(retired.isPublishedAt(retiredAt, RETENTION)).isTrue();
        assertThat(retired.isPublishedAt(retiredAt.plus(RETENTION).minusSeconds(1), RETENTION)).isTrue();
        assertThat(retired.isPublishedAt(retiredAt.plus(RETENTION), RETENTION)).isFalse();
    }
}
