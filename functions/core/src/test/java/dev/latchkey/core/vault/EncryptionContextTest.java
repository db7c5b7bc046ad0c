package dev.latchkey.core.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EncryptionContextTest {

    @Test
    void constructWhenPartsValidThenMapAndAssociatedData() {
        EncryptionContext context = new EncryptionContext("signing-key", "kid_01:v2#a.b");

        assertThat(context.asMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "latchkey:purpose", "signing-key", "latchkey:owner", "kid_01:v2#a.b"));
        assertThat(new String(context.associatedData(), StandardCharsets.UTF_8))
                .isEqualTo("latchkey:purpose=signing-key\nlatchkey:owner=kid_01:v2#a.b");
    }

    @Test
    void associatedDataWhenContextsDifferThenBytesDiffer() {
        assertThat(new EncryptionContext("pepper", "global").associatedData())
                .isNotEqualTo(new EncryptionContext("pepper", "other").associatedData())
                .isNotEqualTo(new EncryptionContext("totp-seed", "global").associatedData())
                .isEqualTo(new EncryptionContext("pepper", "global").associatedData());
    }

    @Test
    void constructWhenPartNullThenRejected() {
        assertThatNullPointerException().isThrownBy(() -> new EncryptionContext(null, "global"));
        assertThatNullPointerException().isThrownBy(() -> new EncryptionContext("pepper", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a=b", "a\nlatchkey:owner=evil", "a/b", "é", "a\0"})
    void constructWhenPartHasForbiddenCharactersThenRejected(String part) {
        assertThatIllegalArgumentException().isThrownBy(() -> new EncryptionContext(part, "global"));
        assertThatIllegalArgumentException().isThrownBy(() -> new EncryptionContext("pepper", part));
    }

    @Test
    void constructWhenPartLengthAtLimitThenAcceptedAndOverLimitRejected() {
        assertThat(new EncryptionContext("p".repeat(128), "o".repeat(128)).purpose()).hasSize(128);
        assertThatIllegalArgumentException().isThrownBy(() -> new EncryptionContext("p".repeat(129), "global"));
        assertThatIllegalArgumentException().isThrownBy(() -> new EncryptionContext("pepper", "o".repeat(129)));
    }
}
