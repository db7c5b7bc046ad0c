package dev.latchkey.infrastructure.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVaultException;
import dev.latchkey.core.vault.SealedSecret;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalKeyVaultTest {

    private static final EncryptionContext TOTP = new EncryptionContext("totp-seed", "user-1");
    private static final byte[] SECRET = "JBSWY3DPEHPK3PXP-seed".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    private LocalKeyVault vault() {
        return LocalKeyVault.fromBase64(randomKeyBase64(), random);
    }

    private String randomKeyBase64() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void assertCannotOpen(Runnable open) {
        KeyVaultException e = catchThrowableOfType(KeyVaultException.class, open::run);
        assertThat(e).as("cannotOpen expected").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void openWhenSameContextThenRoundTrips() {
        LocalKeyVault vault = vault();

        SealedSecret sealed = vault.seal(SECRET, TOTP);

        assertThat(sealed.bytes()[0]).isEqualTo(LocalKeyVault.FORMAT);
        // format(1) + nonce(12) + ciphertext + tag(16)
        assertThat(sealed.bytes()).hasSize(1 + 12 + SECRET.length + 16);
        assertThat(vault.open(sealed, TOTP)).isEqualTo(SECRET);
        assertThat(vault.open(SealedSecret.decode(sealed.encoded()), TOTP)).isEqualTo(SECRET);
    }

    @Test
    void openWhenEmptyPlaintextThenRoundTrips() {
        LocalKeyVault vault = vault();

        assertThat(vault.open(vault.seal(new byte[0], TOTP), TOTP)).isEmpty();
    }

    @Test
    void sealWhenSamePlaintextTwiceThenSealedBytesDiffer() {
        LocalKeyVault vault = vault();

        SealedSecret first = vault.seal(SECRET, TOTP);
        SealedSecret second = vault.seal(SECRET, TOTP);

        assertThat(first).isNotEqualTo(second);
        // The random 96-bit nonces differ, not only the ciphertexts.
        assertThat(Arrays.copyOfRange(first.bytes(), 1, 13))
                .isNotEqualTo(Arrays.copyOfRange(second.bytes(), 1, 13));
        assertThat(vault.open(first, TOTP)).isEqualTo(vault.open(second, TOTP)).isEqualTo(SECRET);
    }

    @Test
    void openWhenContextDiffersThenCannotOpen() {
        LocalKeyVault vault = vault();
        SealedSecret sealed = vault.seal(SECRET, TOTP);

        assertCannotOpen(() -> vault.open(sealed, new EncryptionContext("signing-key", "user-1")));
        assertCannotOpen(() -> vault.open(sealed, new EncryptionContext("totp-seed", "user-2")));
        assertThat(vault.open(sealed, TOTP)).isEqualTo(SECRET);
    }

    @Test
    void openWhenAnyByteFlippedThenCannotOpen() {
        LocalKeyVault vault = vault();
        byte[] sealed = vault.seal(SECRET, TOTP).bytes();
        assertThat(sealed).isNotEmpty();

        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            int index = i;
            KeyVaultException e = catchThrowableOfType(KeyVaultException.class,
                    () -> vault.open(SealedSecret.of(tampered), TOTP));
            assertThat(e).as("flipped byte %d", index).isNotNull();
            assertThat(e.code()).as("flipped byte %d", index).isEqualTo(ErrorCode.INTERNAL_ERROR);
        }
    }

    @Test
    void openWhenTruncatedThenCannotOpen() {
        LocalKeyVault vault = vault();
        byte[] sealed = vault.seal(SECRET, TOTP).bytes();

        assertCannotOpen(() -> vault.open(SealedSecret.of(Arrays.copyOf(sealed, sealed.length - 1)), TOTP));
        assertCannotOpen(() -> vault.open(SealedSecret.of(new byte[] {LocalKeyVault.FORMAT}), TOTP));
        assertCannotOpen(() -> vault.open(SealedSecret.of(Arrays.copyOf(sealed, 1 + 12 + 15)), TOTP));
    }

    @ParameterizedTest
    @ValueSource(bytes = {0x00, 0x02, 0x7f, (byte) 0xff})
    void openWhenFormatByteWrongThenCannotOpen(byte format) {
        LocalKeyVault vault = vault();
        byte[] sealed = vault.seal(SECRET, TOTP).bytes();
        sealed[0] = format;

        assertCannotOpen(() -> vault.open(SealedSecret.of(sealed), TOTP));
    }

    @Test
    void sealWhenCalledThenSealedBytesNeverContainPlaintext() {
        LocalKeyVault vault = vault();
        byte[] plaintext = "correct horse battery staple correct horse battery staple"
                .getBytes(StandardCharsets.UTF_8);

        SealedSecret sealed = vault.seal(plaintext, TOTP);

        String asLatin1 = new String(sealed.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(asLatin1).doesNotContain("correct horse").doesNotContain("staple");
        assertThat(sealed.encoded()).doesNotContain(Base64.getUrlEncoder().withoutPadding()
                .encodeToString("correct horse".getBytes(StandardCharsets.UTF_8)));
        assertThat(sealed.toString()).doesNotContain("correct");
    }

    @Test
    void fromKeyFileWhenAbsentThenCreatesOwnerOnlyFileWith32ByteKey() throws Exception {
        Path keyFile = dir.resolve("nested/data/master.key");

        LocalKeyVault.fromKeyFile(keyFile, random);

        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
        assertThat(Base64.getDecoder().decode(text)).hasSize(32);
    }

    @Test
    void fromKeyFileWhenReopenedThenOpensWhatTheFirstSealed() {
        Path keyFile = dir.resolve("master.key");
        LocalKeyVault first = LocalKeyVault.fromKeyFile(keyFile, random);
        SealedSecret sealed = first.seal(SECRET, TOTP);

        LocalKeyVault afterRestart = LocalKeyVault.fromKeyFile(keyFile, random);

        assertThat(afterRestart.open(sealed, TOTP)).isEqualTo(SECRET);
    }

    @Test
    void fromKeyFileWhenTwoFilesThenVaultsCannotOpenEachOthersSecrets() {
        LocalKeyVault a = LocalKeyVault.fromKeyFile(dir.resolve("a.key"), random);
        LocalKeyVault b = LocalKeyVault.fromKeyFile(dir.resolve("b.key"), random);

        assertCannotOpen(() -> b.open(a.seal(SECRET, TOTP), TOTP));
        assertCannotOpen(() -> a.open(b.seal(SECRET, TOTP), TOTP));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw-rw-", "r--r--r--", "rwx---rwx"})
    void fromKeyFileWhenOthersCanReadThenRefusedWithChmodAdvice(String permissions) throws Exception {
        Path keyFile = dir.resolve("master.key");
        Files.writeString(keyFile, randomKeyBase64() + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString(permissions));

        assertThatThrownBy(() -> LocalKeyVault.fromKeyFile(keyFile, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chmod 600")
                .hasMessageContaining(keyFile.toString());
    }

    @Test
    void fromKeyFileWhenOwnerReadOnlyThenAccepted() throws Exception {
        Path keyFile = dir.resolve("master.key");
        Files.writeString(keyFile, randomKeyBase64() + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--------"));

        LocalKeyVault vault = LocalKeyVault.fromKeyFile(keyFile, random);

        assertThat(vault.open(vault.seal(SECRET, TOTP), TOTP)).isEqualTo(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "this-is-not-base64-SECRETISH!!",
        "c2hvcnQta2V5LVNFQ1JFVElTSA==",
        "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQQ==",
        ""})
    void fromKeyFileWhenMalformedThenRefusedWithoutEchoingContent(String content) throws Exception {
        Path keyFile = dir.resolve("master.key");
        Files.writeString(keyFile, content + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

        Throwable thrown = catchThrowableOfType(IllegalStateException.class,
                () -> LocalKeyVault.fromKeyFile(keyFile, random));

        assertThat(thrown).isNotNull();
        assertThat(thrown.getMessage()).contains(keyFile.toString()).containsAnyOf("base64", "32 bytes");
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        if (!content.isEmpty()) {
            assertThat(trace.toString()).doesNotContain(content).doesNotContain("SECRETISH");
        }
    }

    @Test
    void fromBase64WhenValidKeyThenRoundTripsAndIsDeterministicForTheKey() {
        String key = randomKeyBase64();
        LocalKeyVault one = LocalKeyVault.fromBase64(key, random);
        LocalKeyVault two = LocalKeyVault.fromBase64(key, new SecureRandom());

        assertThat(two.open(one.seal(SECRET, TOTP), TOTP)).isEqualTo(SECRET);
    }

    @Test
    void fromBase64WhenWrongLengthThenRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalKeyVault.fromBase64(Base64.getEncoder().encodeToString(new byte[16]), random))
                .withMessageContaining("32 bytes");
    }

    @Test
    void openWhenSealedByAnotherKeyThenCannotOpen() {
        LocalKeyVault a = vault();
        LocalKeyVault b = vault();

        SealedSecret sealed = a.seal(SECRET, TOTP);

        assertCannotOpen(() -> b.open(sealed, TOTP));
        assertThat(a.open(sealed, TOTP)).isEqualTo(SECRET);
    }

    @Test
    void checkWhenKeyWorksThenPasses() {
        LocalKeyVault vault = LocalKeyVault.fromKeyFile(dir.resolve("master.key"), random);

        vault.check();

        assertThat(vault.open(vault.seal(SECRET, TOTP), TOTP)).isEqualTo(SECRET);
    }
}
