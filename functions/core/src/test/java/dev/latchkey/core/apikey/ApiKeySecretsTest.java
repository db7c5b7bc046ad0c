package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.vault.InMemoryPeppers;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ApiKeySecrets} and {@link ApiKeyHasher}: keyed hashes, the grace window, no printing. */
class ApiKeySecretsTest {

    private static final Instant NOW = Instant.parse("2026-03-12T10:00:00Z");

    private final ApiKeyFixture f = new ApiKeyFixture();
    private final ApiKeyToken current = f.unknownKey();
    private final ApiKeyToken previous = ApiKeyToken.generate(current.keyId(), f.random);
    private final byte[] currentHash = f.hasher.hash(current);
    private final byte[] previousHash = f.hasher.hash(previous);

    @Test
    @DisplayName("the hash is 32 bytes, stable for a key, different for another key and under another pepper")
    void hashWhenSameKeyThenSameAndOtherwiseDifferent() {
        assertThat(currentHash).hasSize(ApiKeyHasher.HASH_BYTES);
        assertThat(f.hasher.hash(ApiKeyToken.parse(current.value()).orElseThrow())).isEqualTo(currentHash);
        assertThat(previousHash).isNotEqualTo(currentHash);
        assertThat(new ApiKeyHasher(new InMemoryPeppers()).hash(current)).isNotEqualTo(currentHash);
        assertThat(ApiKeyHasher.matches(currentHash, currentHash.clone())).isTrue();
        assertThat(ApiKeyHasher.matches(currentHash, previousHash)).isFalse();
        assertThat(ApiKeyHasher.matches(currentHash, null)).isFalse();
    }

    @Test
    @DisplayName("the current secret always works; the previous one while now is before its end, not at it")
    void acceptsWhenPreviousAtGraceBoundaryThenRefusedExactlyAtEnd() {
        Instant end = NOW.plusSeconds(3600);
        ApiKeySecrets secrets = new ApiKeySecrets(currentHash, Optional.of(previousHash), Optional.of(end));

        assertThat(secrets.accepts(currentHash, end.plusSeconds(1_000_000))).isTrue();
        assertThat(secrets.accepts(previousHash, end.minusMillis(1))).isTrue();
        assertThat(secrets.accepts(previousHash, end)).isFalse();
        assertThat(secrets.accepts(previousHash, end.plusMillis(1))).isFalse();
        assertThat(secrets.accepts(f.hasher.hash(f.unknownKey()), NOW)).isFalse();
        assertThat(secrets.accepts(new byte[ApiKeyHasher.HASH_BYTES], NOW)).as("all-zero hash").isFalse();
        assertThat(ApiKeySecrets.of(currentHash).accepts(new byte[ApiKeyHasher.HASH_BYTES], NOW)).isFalse();
    }

    @Test
    @DisplayName("hashes are 32 bytes, and a previous hash comes with its end")
    void constructorWhenBadShapeThenRefused() {
        assertThatThrownBy(() -> ApiKeySecrets.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKeySecrets(currentHash, Optional.of(new byte[33]), Optional.of(NOW)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKeySecrets(currentHash, Optional.of(previousHash), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKeySecrets(currentHash, Optional.empty(), Optional.of(NOW)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("the arrays are copied in and out: nobody changes a stored hash from outside")
    void accessorsWhenArraysChangedThenSecretsUnchanged() {
        byte[] input = currentHash.clone();
        ApiKeySecrets secrets = ApiKeySecrets.of(input);
        Arrays.fill(input, (byte) 0);
        secrets.current()[0] ^= 1;

        assertThat(secrets.current()).isEqualTo(currentHash);
        assertThat(secrets).isEqualTo(ApiKeySecrets.of(currentHash)).hasSameHashCodeAs(ApiKeySecrets.of(currentHash));
        assertThat(secrets).isNotEqualTo(ApiKeySecrets.of(previousHash));
    }

    @Test
    @DisplayName("[16.2.5] toString never shows a hash")
    void toStringWhenPrintedThenRedacted() {
        ApiKeySecrets secrets = new ApiKeySecrets(currentHash, Optional.of(previousHash), Optional.of(NOW));

        assertThat(secrets.toString()).isEqualTo("ApiKeySecrets[<redacted>]");
    }
}
