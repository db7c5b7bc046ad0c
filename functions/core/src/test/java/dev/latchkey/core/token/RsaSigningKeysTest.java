package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.nimbusds.jose.jwk.RSAKey;
import dev.latchkey.core.keys.KeyRing;
import dev.latchkey.core.vault.InMemoryKeyVault;
import dev.latchkey.core.vault.KeyVaultException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RS256 keys in the key ring (issue 15: ID tokens are RS256 by default, OpenID Connect Core §15.1). */
class RsaSigningKeysTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
    private final InMemoryKeyVault vault = new InMemoryKeyVault();

    @Test
    void rfc7638RsaExampleWhenReadThenPublishedThumbprint() {
        RsaPublicJwk jwk = new RsaPublicJwk(JwkThumbprintTest.RFC7638_N, "AQAB");

        assertThat(jwk.thumbprint()).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        assertThat(jwk.toMap()).containsExactly(java.util.Map.entry("kty", "RSA"),
                java.util.Map.entry("n", JwkThumbprintTest.RFC7638_N), java.util.Map.entry("e", "AQAB"),
                java.util.Map.entry("kid", "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"),
                java.util.Map.entry("use", "sig"), java.util.Map.entry("alg", "RS256"));
    }

    @Test
    void generateWhenRs256ThenA2048BitKeyWhoseKidNimbusAgreesWith() throws Exception {
        SigningKey key = SigningKeys.generate(SigningAlgorithm.RS256, vault, CLOCK, new SecureRandom());
        RsaPublicJwk jwk = (RsaPublicJwk) key.publicJwk();

        assertThat(key.algorithm()).isEqualTo(SigningAlgorithm.RS256);
        assertThat(key.state()).isEqualTo(SigningKeyState.NEXT);
        assertThat(jwk.toPublicKey().getModulus().bitLength()).isEqualTo(2048);
        assertThat(RSAKey.parse(jwk.toMap()).computeThumbprint().toString()).isEqualTo(key.kid());
    }

    @Test
    void openRsaWhenGeneratedThenSignsWhatThePublicKeyVerifies() throws Exception {
        SigningKey key = SigningKeys.generate(SigningAlgorithm.RS256, vault, CLOCK, new SecureRandom());
        OpenedRsaSigningKey opened = SigningKeys.openRsa(key, vault);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(opened.privateKey());
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(((RsaPublicJwk) key.publicJwk()).toPublicKey());
        verifier.update(new byte[] {1, 2, 3});

        assertThat(verifier.verify(signature)).isTrue();
        assertThat(opened.toString()).doesNotContain(opened.privateKey().getPrivateExponent().toString(16));
    }

    @Test
    void openWhenAlgorithmDoesNotMatchThenRefused() {
        SigningKey rsa = SigningKeys.generate(SigningAlgorithm.RS256, vault, CLOCK, new SecureRandom());
        SigningKey ec = SigningKeys.generate(SigningAlgorithm.ES256, vault, CLOCK, new SecureRandom());

        assertThatIllegalStateException().isThrownBy(() -> SigningKeys.open(rsa, vault));
        assertThatIllegalStateException().isThrownBy(() -> SigningKeys.openRsa(ec, vault));
    }

    @Test
    void openRsaWhenSealedKeyBelongsToAnotherKeyThenRefused() {
        SigningKey a = SigningKeys.generate(SigningAlgorithm.RS256, vault, CLOCK, new SecureRandom());
        SigningKey b = SigningKeys.generate(SigningAlgorithm.RS256, vault, CLOCK, new SecureRandom());
        SigningKey swapped = new SigningKey(a.kid(), a.state(), a.publicJwk(), b.sealedPrivateKey(), a.createdAt(),
                a.activatedAt(), a.retiredAt());
        byte[] bPrivate = vault.open(b.sealedPrivateKey(), SigningKeys.context(b.kid()));
        SigningKey bUnderA = new SigningKey(a.kid(), a.state(), a.publicJwk(),
                vault.seal(bPrivate, SigningKeys.context(a.kid())), a.createdAt(), a.activatedAt(), a.retiredAt());

        assertThatExceptionOfType(KeyVaultException.class).as("sealed under another kid")
                .isThrownBy(() -> SigningKeys.openRsa(swapped, vault));
        assertThatIllegalStateException().as("another key's private half")
                .isThrownBy(() -> SigningKeys.openRsa(bUnderA, vault));
    }

    @Test
    void rsaJwkWhenWeakOrNonCanonicalThenRejected() {
        RsaPublicJwk good = new RsaPublicJwk(JwkThumbprintTest.RFC7638_N, "AQAB");
        BigInteger small = BigInteger.ONE.shiftLeft(1023).setBit(0);

        assertThatIllegalArgumentException().isThrownBy(() -> new RsaPublicJwk(good.n(), "Aw"));
        assertThatIllegalArgumentException().isThrownBy(() -> new RsaPublicJwk(
                Base64Url.encode(small.toByteArray()), "AQAB"));
        assertThatIllegalArgumentException().isThrownBy(() -> new RsaPublicJwk("AA" + good.n(), "AQAB"));
        assertThatIllegalArgumentException().isThrownBy(() -> new RsaPublicJwk(good.n() + "=", "AQAB"));
    }

    @Test
    void keyRingWhenOneActiveKeyPerAlgorithmThenAcceptedAndTwoOfOneAlgorithmRefused() {
        SigningKey ec = SigningKeys.generate(SigningAlgorithm.ES256, vault, CLOCK, new SecureRandom())
                .withState(SigningKeyState.ACTIVE, CLOCK.instant());
        SigningKey rsa = SigningKeys.generate(SigningAlgorithm.RS256, vault, CLOCK, new SecureRandom())
                .withState(SigningKeyState.ACTIVE, CLOCK.instant());
        SigningKey rsa2 = SigningKeys.generate(SigningAlgorithm.RS256, vault, CLOCK, new SecureRandom())
                .withState(SigningKeyState.ACTIVE, CLOCK.instant());

        KeyRing ring = new KeyRing(1, List.of(ec, rsa));
        assertThat(ring.active()).map(SigningKey::kid).isEqualTo(Optional.of(ec.kid()));
        assertThat(ring.active(SigningAlgorithm.RS256)).map(SigningKey::kid).isEqualTo(Optional.of(rsa.kid()));
        assertThatIllegalStateException().isThrownBy(() -> new KeyRing(1, List.of(ec, rsa, rsa2)));
    }
}
