package dev.latchkey.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.vault.InMemoryPeppers;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ClientSecretsTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void generateGivesPrefixAnd43Base64UrlCharacters() {
        String secret = ClientSecretValue.generate(random);

        assertThat(secret).startsWith("lkcs_").hasSize(48).matches("lkcs_[A-Za-z0-9_-]{43}");
        assertThat(ClientSecretValue.wellFormed(secret)).isTrue();
        assertThat(ClientSecretValue.generate(random)).isNotEqualTo(secret);
    }

    @Test
    void wellFormedRefusesOtherShapes() {
        String secret = ClientSecretValue.generate(random);

        assertThat(ClientSecretValue.wellFormed(null)).isFalse();
        assertThat(ClientSecretValue.wellFormed(secret.substring(1))).isFalse();
        assertThat(ClientSecretValue.wellFormed(secret + "A")).isFalse();
        assertThat(ClientSecretValue.wellFormed("lkxx_" + secret.substring(5))).isFalse();
        assertThat(ClientSecretValue.wellFormed(secret.substring(0, 47) + "=")).isFalse();
        assertThat(ClientSecretValue.wellFormed(secret.substring(0, 47) + "+")).isFalse();
    }

    @Test
    void wellFormedRefusesNonCanonicalTrailingBits() {
        String canonical = "lkcs_" + "A".repeat(42) + "A";
        String nonCanonical = "lkcs_" + "A".repeat(42) + "B";

        assertThat(ClientSecretValue.wellFormed(canonical)).isTrue();
        assertThat(ClientSecretValue.wellFormed(nonCanonical)).isFalse();
    }

    @Test
    void hashIsKeyedAndMatchesOnlyTheSameSecret() {
        InMemoryPeppers peppers = new InMemoryPeppers();
        ClientSecretHasher hasher = new ClientSecretHasher(peppers);
        String secret = ClientSecretValue.generate(random);

        byte[] hash = hasher.hash(secret);

        assertThat(hash).hasSize(ClientSecretHasher.HASH_BYTES);
        assertThat(hasher.matches(secret, hash)).isTrue();
        assertThat(hasher.matches(ClientSecretValue.generate(random), hash)).isFalse();
        assertThat(hasher.matches(null, hash)).isFalse();
        assertThat(hasher.matches(secret, null)).isFalse();
        assertThat(new ClientSecretHasher(new InMemoryPeppers()).hash(secret)).isNotEqualTo(hash);
    }

    @Test
    void pepperIsOpenedOnce() {
        InMemoryPeppers peppers = new InMemoryPeppers();
        ClientSecretHasher hasher = new ClientSecretHasher(peppers);

        hasher.hash("a");
        hasher.hash("b");

        assertThat(peppers.calls()).isEqualTo(1);
    }
}
