package dev.latchkey.core.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SealedSecretTest {

    @Test
    void decodeWhenEncodedThenRoundTrips() {
        SecureRandom random = new SecureRandom();
        for (int length = 1; length <= 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            SealedSecret sealed = SealedSecret.of(bytes);

            String encoded = sealed.encoded();

            assertThat(encoded).matches("[A-Za-z0-9_-]+");
            assertThat(SealedSecret.decode(encoded)).isEqualTo(sealed);
            assertThat(SealedSecret.decode(encoded).bytes()).isEqualTo(bytes);
        }
    }

    @Test
    void encodedWhenBytesNeedUrlAlphabetThenNoPlusSlashOrPadding() {
        SealedSecret sealed = SealedSecret.of(new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 0x01});

        assertThat(sealed.encoded()).isEqualTo("-_-_AQ");
    }

    @Test
    void toStringWhenCalledThenOnlyLengthShown() {
        byte[] bytes = "super-secret-sealed-bytes".getBytes(StandardCharsets.UTF_8);
        SealedSecret sealed = SealedSecret.of(bytes);

        assertThat(sealed.toString())
                .isEqualTo("SealedSecret[" + bytes.length + " bytes]")
                .doesNotContain(sealed.encoded())
                .doesNotContain("super-secret")
                .doesNotContain(Arrays.toString(bytes));
    }

    @Test
    void ofWhenInputArrayChangedLaterThenSecretUnchanged() {
        byte[] bytes = {1, 2, 3};
        SealedSecret sealed = SealedSecret.of(bytes);

        bytes[0] = 9;
        sealed.bytes()[1] = 9;

        assertThat(sealed.bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void ofWhenEmptyThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> SealedSecret.of(new byte[0]));
        assertThatIllegalArgumentException().isThrownBy(() -> SealedSecret.decode(""));
    }

    @Test
    void decodeWhenNotBase64UrlThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> SealedSecret.decode("a+b/"));
        assertThatIllegalArgumentException().isThrownBy(() -> SealedSecret.decode("!!!"));
    }

    @Test
    void openWhenContextDiffersThenCannotOpen() {
        InMemoryKeyVault vault = new InMemoryKeyVault();
        SealedSecret sealed = vault.seal(new byte[] {4, 2}, new EncryptionContext("pepper", "global"));

        assertThat(vault.open(sealed, new EncryptionContext("pepper", "global"))).containsExactly(4, 2);
        assertThat(catchThrowableOfType(KeyVaultException.class,
                () -> vault.open(sealed, new EncryptionContext("pepper", "other"))).code())
                .isEqualTo(ErrorCode.INTERNAL_ERROR);
    }
}
