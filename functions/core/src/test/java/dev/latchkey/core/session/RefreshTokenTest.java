package dev.latchkey.core.session;

import dev.latchkey.core.vault.InMemoryPeppers;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RefreshTokenTest {

    private final SecureRandom random = new SecureRandom();
    private final RefreshTokenCrypto crypto = new RefreshTokenCrypto(new InMemoryPeppers(), random);

    @Test
    @DisplayName("tokens: lkr_ + 43 base64url characters (256 random bits), all distinct, never printed")
    void generateMakesDistinctWellFormedTokens() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            RefreshToken token = RefreshToken.generate(random);
            assertThat(token.value()).matches("lkr_[A-Za-z0-9_-]{43}");
            assertThat(RefreshToken.parse(token.value())).contains(token);
            assertThat(token.toString()).doesNotContain(token.value().substring(4));
            seen.add(token.value());
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    @DisplayName("an application's token: lka_ + 43 characters; its kind survives parsing and rotation")
    void generateForApplicationWhenParsedOrRotatedThenStillAnApplicationToken() {
        RefreshToken token = RefreshToken.generateForApplication(random);

        assertThat(token.value()).matches("lka_[A-Za-z0-9_-]{43}");
        assertThat(RefreshToken.parse(token.value())).hasValueSatisfying(t -> assertThat(t.isApplication()).isTrue());
        assertThat(token.next(random).isApplication()).isTrue();
        assertThat(RefreshToken.generate(random).next(random).isApplication()).isFalse();
        assertThat(RefreshToken.isApplicationToken(token.value())).isTrue();
        assertThat(RefreshToken.parse("lkx_" + token.value().substring(4))).isEmpty();
    }

    @Test
    @DisplayName("token id: a keyed hash — stable for one pepper, different under another pepper")
    void tokenIdIsStableAndDependsOnThePepper() {
        RefreshToken token = RefreshToken.generate(random);
        String id = crypto.tokenId(token);
        assertThat(id).hasSize(43).isEqualTo(crypto.tokenId(token)).doesNotContain(token.value().substring(4));
        assertThat(new RefreshTokenCrypto(new InMemoryPeppers(), random).tokenId(token)).isNotEqualTo(id);
    }

    @Test
    @DisplayName("the sealed successor opens only with the token it was sealed under")
    void successorOpensOnlyWithItsPredecessor() {
        RefreshToken current = RefreshToken.generate(random);
        RefreshToken successor = RefreshToken.generate(random);
        RefreshToken other = RefreshToken.generate(random);
        String id = crypto.tokenId(current);
        String sealed = crypto.sealSuccessor(current, id, successor);

        assertThat(sealed).doesNotContain(successor.value().substring(4));
        assertThat(crypto.openSuccessor(current, id, sealed)).contains(successor);
        assertThat(crypto.openSuccessor(other, id, sealed)).isEmpty();
        assertThat(crypto.openSuccessor(current, crypto.tokenId(other), sealed)).as("bound to the item").isEmpty();
        int middle = sealed.length() / 2;
        String tampered = sealed.substring(0, middle) + (sealed.charAt(middle) == 'A' ? 'B' : 'A')
                + sealed.substring(middle + 1);
        assertThat(crypto.openSuccessor(current, id, tampered)).isEmpty();
        assertThat(crypto.openSuccessor(current, id, "!!")).isEmpty();
    }
}
