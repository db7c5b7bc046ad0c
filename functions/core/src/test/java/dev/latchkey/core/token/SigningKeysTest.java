package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.InMemoryKeyVault;
import dev.latchkey.core.vault.KeyVault;
import dev.latchkey.core.vault.KeyVaultException;
import dev.latchkey.core.vault.SealedSecret;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    /** Records what passes through the vault, to check what the caller leaves behind. */
    static final class RecordingVault implements KeyVault {
        final InMemoryKeyVault delegate = new InMemoryKeyVault();
        final List<byte[]> sealedPlaintexts = new ArrayList<>();
        final List<EncryptionContext> contexts = new ArrayList<>();
        final List<byte[]> openedPlaintexts = new ArrayList<>();

        @Override
        public SealedSecret seal(byte[] plaintext, EncryptionContext context) {
            sealedPlaintexts.add(plaintext);
            contexts.add(context);
            return delegate.seal(plaintext, context);
        }

        @Override
        public byte[] open(SealedSecret sealed, EncryptionContext context) {
            contexts.add(context);
            byte[] plaintext = delegate.open(sealed, context);
            openedPlaintexts.add(plaintext);
            return plaintext;
        }

        @Override
        public void check() {
            delegate.check();
        }
    }

    @Test
    void generateWhenCalledThenNextKeyWithThumbprintKidSealedUnderItsKid() throws Exception {
        InMemoryKeyVault vault = new InMemoryKeyVault();

        SigningKey key = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));

        assertThat(key.state()).isEqualTo(SigningKeyState.NEXT);
        assertThat(key.kid()).isEqualTo(key.publicJwk().thumbprint()).hasSize(43);
        assertThat(key.createdAt()).isEqualTo(TestKeys.NOW);
        assertThat(key.activatedAt()).isEmpty();
        assertThat(key.retiredAt()).isEmpty();
        byte[] pkcs8 = vault.open(key.sealedPrivateKey(), new EncryptionContext("signing-key", key.kid()));
        ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        assertThat(P256.is(privateKey.getParams())).isTrue();
    }

    @Test
    void generateWhenCalledTwiceThenDifferentKeys() {
        InMemoryKeyVault vault = new InMemoryKeyVault();

        SigningKey first = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));
        SigningKey second = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));

        assertThat(first.kid()).isNotEqualTo(second.kid());
        assertThat(first.sealedPrivateKey()).isNotEqualTo(second.sealedPrivateKey());
    }

    @Test
    void generateWhenSealedThenPlaintextPkcs8Zeroed() {
        RecordingVault vault = new RecordingVault();

        SigningKey key = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));

        assertThat(vault.contexts).containsExactly(new EncryptionContext("signing-key", key.kid()));
        assertThat(vault.sealedPlaintexts).singleElement()
                .satisfies(bytes -> assertThat(bytes).hasSizeGreaterThan(60).containsOnly(0));
        assertThat(SigningKeys.open(key, vault.delegate).kid()).isEqualTo(key.kid());
    }

    @Test
    void openWhenGeneratedKeyThenSignsWhatItsPublicJwkVerifies() throws Exception {
        RecordingVault vault = new RecordingVault();
        SigningKey key = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));

        OpenedSigningKey opened = SigningKeys.open(key, vault);

        assertThat(opened.kid()).isEqualTo(key.kid());
        assertThat(opened.publicKey().getW()).isEqualTo(((EcPublicJwk) key.publicJwk()).toPublicKey().getW());
        byte[] message = "hello".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(opened.privateKey());
        signer.update(message);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key.publicJwk().toPublicKey());
        verifier.update(message);
        assertThat(verifier.verify(signer.sign())).isTrue();
        assertThat(vault.openedPlaintexts).singleElement()
                .satisfies(bytes -> assertThat(bytes).containsOnly(0));
    }

    @Test
    void openedToStringWhenPrintedThenOnlyKid() {
        OpenedSigningKey opened = TestKeys.opened();

        assertThat(opened.toString()).isEqualTo("OpenedSigningKey[kid=" + opened.kid() + "]");
    }

    @Test
    void openWhenSealedSecretOfAnotherKeyThenVaultRefusesContext() {
        InMemoryKeyVault vault = new InMemoryKeyVault();
        SigningKey a = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));
        SigningKey b = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));
        SigningKey swapped = new SigningKey(a.kid(), a.state(), a.publicJwk(), b.sealedPrivateKey(), a.createdAt(),
                Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> SigningKeys.open(swapped, vault)).isInstanceOf(KeyVaultException.class);
    }

    @Test
    void openWhenPrivateKeyDoesNotMatchPublicJwkThenRejected() {
        InMemoryKeyVault vault = new InMemoryKeyVault();
        SigningKey a = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));
        OpenedSigningKey b = TestKeys.opened();
        SealedSecret bUnderA = vault.seal(b.privateKey().getEncoded(), new EncryptionContext("signing-key", a.kid()));
        SigningKey corrupted = new SigningKey(a.kid(), a.state(), a.publicJwk(), bUnderA, a.createdAt(),
                Optional.empty(), Optional.empty());

        assertThatIllegalStateException().isThrownBy(() -> SigningKeys.open(corrupted, vault))
                .withMessageContaining("does not match");
    }

    @Test
    void openWhenSealedBytesAreNotAnEcPrivateKeyThenRejected() throws Exception {
        InMemoryKeyVault vault = new InMemoryKeyVault();
        SigningKey a = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        EncryptionContext context = new EncryptionContext("signing-key", a.kid());
        for (byte[] plaintext : List.of(rsa.generateKeyPair().getPrivate().getEncoded(), new byte[] {1, 2, 3})) {
            SigningKey bad = new SigningKey(a.kid(), a.state(), a.publicJwk(), vault.seal(plaintext, context),
                    a.createdAt(), Optional.empty(), Optional.empty());

            assertThatIllegalStateException().isThrownBy(() -> SigningKeys.open(bad, vault));
        }
    }

    @Test
    void openWhenVaultUnavailableThenVaultExceptionPropagates() {
        InMemoryKeyVault vault = new InMemoryKeyVault();
        SigningKey key = SigningKeys.generate(vault, TestKeys.clockAt(TestKeys.NOW));
        vault.failWith(KeyVaultException.unavailable(null));

        assertThatThrownBy(() -> SigningKeys.open(key, vault)).isInstanceOf(KeyVaultException.class);
    }

    @Test
    void openedSigningKeyWhenKidIsNotThumbprintThenRejected() {
        OpenedSigningKey a = TestKeys.opened();
        OpenedSigningKey b = TestKeys.opened();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OpenedSigningKey(b.kid(), a.privateKey(), a.publicKey()));
    }
}
