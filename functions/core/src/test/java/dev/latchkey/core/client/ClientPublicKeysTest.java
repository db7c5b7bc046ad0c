package dev.latchkey.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.token.JwkThumbprint;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientPublicKeysTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void ed25519JwkBecomesSpkiWithThumbprintKidAndVerifies() throws GeneralSecurityException {
        KeyPair pair = ClientKeyFixture.ed25519();
        Map<String, Object> jwk = ClientKeyFixture.jwk(pair.getPublic());

        ClientPublicKey key = ClientPublicKeys.fromJwk(jwk);

        assertThat(key.algorithm()).isEqualTo(ClientPublicKeys.EDDSA);
        assertThat(key.subjectPublicKeyInfo()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(key.kid()).isEqualTo(JwkThumbprint.sha256(jwk)).hasSize(43);
        assertThat(key.notAfter()).isEmpty();
        assertVerifies(pair, "Ed25519", stored(key));
    }

    @Test
    void p256JwkBecomesSpkiAndVerifies() throws GeneralSecurityException {
        KeyPair pair = ClientKeyFixture.p256();
        Map<String, Object> jwk = ClientKeyFixture.jwk(pair.getPublic());

        ClientPublicKey key = ClientPublicKeys.fromJwk(jwk);

        assertThat(key.algorithm()).isEqualTo(ClientPublicKeys.ES256);
        assertThat(key.subjectPublicKeyInfo()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(key.kid()).isEqualTo(JwkThumbprint.sha256(jwk));
        assertVerifies(pair, "SHA256withECDSA", stored(key));
    }

    @Test
    void givenKidAndOptionalMembersAreKept() {
        Map<String, Object> jwk = ClientKeyFixture.jwk(ClientKeyFixture.ed25519().getPublic());
        jwk.put("kid", "deploy-2026-03");
        jwk.put("use", "sig");
        jwk.put("alg", "EdDSA");
        jwk.put("key_ops", List.of("verify"));
        jwk.put("ext", true);

        assertThat(ClientPublicKeys.fromJwk(jwk).kid()).isEqualTo("deploy-2026-03");
    }

    @Test
    void privateMembersAreRefusedWithoutEchoingThem() {
        KeyPair pair = ClientKeyFixture.ed25519();
        Map<String, Object> jwk = ClientKeyFixture.jwk(pair.getPublic());
        jwk.put("d", "c2VjcmV0LXByaXZhdGUta2V5LW1hdGVyaWFsLTMyYnl0");

        assertThatThrownBy(() -> ClientPublicKeys.fromJwk(jwk))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.details()).containsEntry("field", "jwk.d")
                            .containsEntry("reason", "PRIVATE_KEY_MATERIAL");
                    assertThat(e.getMessage()).doesNotContain("c2VjcmV0");
                });
        assertReason(Map.of("kty", "oct", "k", "AAAA"), "PRIVATE_KEY_MATERIAL");
    }

    @Test
    void otherKeyTypesAndCurvesAreRefused() {
        assertReason(Map.of("kty", "RSA", "n", "AQAB", "e", "AQAB"), "UNSUPPORTED_KEY_TYPE");
        assertReason(Map.of("kty", "RSA"), "UNSUPPORTED_KEY_TYPE");
        assertReason(Map.of("kty", "OKP", "crv", "X25519", "x", "AAAA"), "UNSUPPORTED_CURVE");
        assertReason(Map.of("kty", "OKP", "crv", "Ed448", "x", "AAAA"), "UNSUPPORTED_CURVE");
        assertReason(Map.of("kty", "EC", "crv", "P-384", "x", "AAAA", "y", "AAAA"), "UNSUPPORTED_CURVE");
        assertReason(Map.of("crv", "Ed25519", "x", "AAAA"), "REQUIRED");
    }

    @Test
    void malformedCoordinatesAndMembersAreRefused() {
        Map<String, Object> ed = ClientKeyFixture.jwk(ClientKeyFixture.ed25519().getPublic());
        String x = (String) ed.get("x");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x + "="), "INVALID_KEY");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x.substring(1)), "INVALID_KEY");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x, "y", x), "UNKNOWN_MEMBER");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", 5), "INVALID_TYPE");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x, "alg", "ES256"), "INVALID_ALG");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x, "use", "enc"), "INVALID_USE");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x, "key_ops", List.of("sign")), "INVALID_KEY_OPS");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x, "kid", ""), "INVALID_KID");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x, "kid", "a b"), "INVALID_KID");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x, "kid", "k".repeat(129)), "INVALID_KID");
        assertReason(Map.of("kty", "OKP", "crv", "Ed25519", "x", x, "x5c", List.of()), "UNKNOWN_MEMBER");

        Map<String, Object> ec = ClientKeyFixture.jwk(ClientKeyFixture.p256().getPublic());
        Map<String, Object> offCurve = Map.of("kty", "EC", "crv", "P-256", "x", ec.get("x"), "y", ec.get("x"));
        assertReason(offCurve, "INVALID_KEY");
    }

    @Test
    void certificateOfEd25519KeyGivesTheSameKeyAsItsJwkAndItsNotAfter() throws GeneralSecurityException {
        KeyPair pair = ClientKeyFixture.ed25519();
        Instant notAfter = NOW.plus(Duration.ofDays(90)).truncatedTo(ChronoUnit.SECONDS);
        String pem = ClientCertificateFixture.certificate(pair.getPublic(), NOW.minus(Duration.ofDays(1)), notAfter);

        ClientPublicKey key = ClientPublicKeys.fromCertificate(pem, NOW);

        ClientPublicKey fromJwk = ClientPublicKeys.fromJwk(ClientKeyFixture.jwk(pair.getPublic()));
        assertThat(key.subjectPublicKeyInfo()).isEqualTo(fromJwk.subjectPublicKeyInfo());
        assertThat(key.kid()).isEqualTo(fromJwk.kid());
        assertThat(key.algorithm()).isEqualTo(ClientPublicKeys.EDDSA);
        assertThat(key.notAfter()).contains(notAfter);
        assertVerifies(pair, "Ed25519", stored(key));
    }

    @Test
    void certificateOfP256KeyIsAccepted() throws GeneralSecurityException {
        KeyPair pair = ClientKeyFixture.p256();
        String pem = ClientCertificateFixture.certificate(pair.getPublic(), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(1)));

        ClientPublicKey key = ClientPublicKeys.fromCertificate(pem, NOW);

        assertThat(key.algorithm()).isEqualTo(ClientPublicKeys.ES256);
        assertThat(key.subjectPublicKeyInfo()).isEqualTo(pair.getPublic().getEncoded());
        assertVerifies(pair, "SHA256withECDSA", stored(key));
    }

    @Test
    void expiredNotYetValidAndOtherKeyCertificatesAreRefused() {
        KeyPair pair = ClientKeyFixture.ed25519();
        String expired = ClientCertificateFixture.certificate(pair.getPublic(), NOW.minus(Duration.ofDays(10)),
                NOW.minusSeconds(1));
        String future = ClientCertificateFixture.certificate(pair.getPublic(), NOW.plus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(10)));
        String p384 = ClientCertificateFixture.certificate(ClientKeyFixture.p384().getPublic(),
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));

        assertCertificateReason(expired, "CERTIFICATE_EXPIRED");
        assertCertificateReason(future, "CERTIFICATE_NOT_YET_VALID");
        assertCertificateReason(p384, "UNSUPPORTED_KEY_TYPE");
        assertCertificateReason("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "INVALID_CERTIFICATE");
        assertCertificateReason("not a pem", "INVALID_CERTIFICATE");
        assertCertificateReason(" ", "REQUIRED");
        String valid = ClientCertificateFixture.certificate(pair.getPublic(), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(1)));
        assertCertificateReason(valid + valid, "ONE_CERTIFICATE");
    }

    private static ClientKey stored(ClientPublicKey key) {
        return new ClientKey("ck_01", key.kid(), key.algorithm(), key.subjectPublicKeyInfo(), NOW, "usr_1",
                key.notAfter(), Optional.empty());
    }

    private static void assertVerifies(KeyPair pair, String algorithm, ClientKey stored)
            throws GeneralSecurityException {
        byte[] message = "header.claims".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(pair.getPrivate());
        signer.update(message);
        byte[] signature = signer.sign();
        PublicKey rebuilt = ClientPublicKeys.publicKey(stored);
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(rebuilt);
        verifier.update(message);
        assertThat(verifier.verify(signature)).isTrue();
    }

    private static void assertReason(Map<String, ?> jwk, String reason) {
        assertThatThrownBy(() -> ClientPublicKeys.fromJwk(jwk)).isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.details()).containsEntry("reason", reason));
    }

    private static void assertCertificateReason(String pem, String reason) {
        assertThatThrownBy(() -> ClientPublicKeys.fromCertificate(pem, NOW))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.details())
                        .containsEntry("field", "certificate").containsEntry("reason", reason));
    }
}
