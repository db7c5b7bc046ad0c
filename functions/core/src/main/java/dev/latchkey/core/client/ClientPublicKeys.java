package dev.latchkey.core.client;

import dev.latchkey.core.token.EcPublicJwk;
import dev.latchkey.core.token.JwkThumbprint;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the public keys clients register for {@code private_key_jwt} (RFC 7523 §2.2) — a public JWK (RFC 7517)
 * or a PEM X.509 certificate (RFC 5280) — and rebuilds them for verification. Only two kinds of key are
 * accepted: Ed25519 ({@code OKP}, RFC 8037, JWS {@code EdDSA}) and P-256 ({@code EC}, RFC 7518 §6.2, JWS
 * {@code ES256}). RSA, symmetric keys, other curves and anything carrying a private member are refused, so a
 * private key pasted by mistake is never stored. Error messages name the member, never its value.
 */
public final class ClientPublicKeys {

    /** The JWS algorithm of Ed25519 keys (RFC 8037 §3.1). */
    public static final String EDDSA = "EdDSA";
    /** The JWS algorithm of P-256 keys (RFC 7518 §3.4). */
    public static final String ES256 = "ES256";
    /** The longest {@code kid} accepted. */
    public static final int MAX_KID_LENGTH = 128;
    /** The longest PEM accepted, in characters. */
    public static final int MAX_CERTIFICATE_LENGTH = 16_384;

    /** RFC 8410 §4: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33 bytes: 0 unused bits + key) }. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int ED25519_KEY_BYTES = 32;

    /** Private members of every JWK key type (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final Set<String> KNOWN_MEMBERS = Set.of("kty", "crv", "x", "y", "kid", "use", "alg", "key_ops",
            "ext");
    private static final Pattern KID = Pattern.compile("[\\x21-\\x7E]{1," + MAX_KID_LENGTH + "}");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";

    private ClientPublicKeys() {
    }

    /**
     * Reads a public JWK: {@code {"kty":"OKP","crv":"Ed25519","x":…}} or {@code {"kty":"EC","crv":"P-256","x":…,
     * "y":…}}, with optional {@code kid} (1–128 visible ASCII characters), {@code use} ({@code sig}), {@code alg}
     * (matching the key), {@code key_ops} ({@code ["verify"]}) and {@code ext}. Coordinates must be canonical
     * unpadded base64url of the full length, and a P-256 point must lie on the curve.
     *
     * @return the key, its {@code kid} the given one or else the RFC 7638 SHA-256 thumbprint
     * @throws ClientException {@code VALIDATION_ERROR} with field {@code jwk} or {@code jwk.<member>}
     */
    public static ClientPublicKey fromJwk(Map<String, ?> jwk) {
        if (jwk == null) {
            throw ClientException.invalid("jwk", "REQUIRED", "Field 'jwk' is required.");
        }
        for (String member : jwk.keySet()) {
            if (PRIVATE_MEMBERS.contains(member)) {
                throw ClientException.invalid("jwk." + member, "PRIVATE_KEY_MATERIAL",
                        "The JWK has the private member '" + member + "'; register the public key only.");
            }
        }
        String kty = requiredString(jwk, "kty");
        if (!"OKP".equals(kty) && !"EC".equals(kty)) {
            throw ClientException.invalid("jwk.kty", "UNSUPPORTED_KEY_TYPE",
                    "Only Ed25519 (kty OKP) and P-256 (kty EC) keys are accepted.");
        }
        for (String member : jwk.keySet()) {
            if (!KNOWN_MEMBERS.contains(member)) {
                throw ClientException.invalid("jwk." + member, "UNKNOWN_MEMBER",
                        "The JWK member '" + member + "' is not accepted.");
            }
        }
        String crv = requiredString(jwk, "crv");
        String algorithm;
        byte[] spki;
        String thumbprint;
        if ("OKP".equals(kty)) {
            if (!"Ed25519".equals(crv)) {
                throw unsupportedCurve();
            }
            String x = requiredString(jwk, "x");
            if (jwk.containsKey("y")) {
                throw ClientException.invalid("jwk.y", "UNKNOWN_MEMBER", "An OKP key has no member 'y'.");
            }
            byte[] raw = base64Url(x).filter(b -> b.length == ED25519_KEY_BYTES)
                    .orElseThrow(() -> ClientException.invalid("jwk.x", "INVALID_KEY",
                            "Member 'x' must be 32 bytes of base64url without padding."));
            spki = ed25519Spki(raw);
            algorithm = EDDSA;
            thumbprint = JwkThumbprint.sha256(Map.of("kty", "OKP", "crv", "Ed25519", "x", x));
        } else {
            if (!EcPublicJwk.P_256.equals(crv)) {
                throw unsupportedCurve();
            }
            EcPublicJwk ec;
            try {
                ec = new EcPublicJwk(crv, requiredString(jwk, "x"), requiredString(jwk, "y"));
            } catch (IllegalArgumentException e) {
                throw ClientException.invalid("jwk", "INVALID_KEY",
                        "Members 'x' and 'y' must be 32 bytes of base64url each and a point of P-256.");
            }
            spki = ec.toPublicKey().getEncoded();
            algorithm = ES256;
            thumbprint = ec.thumbprint();
        }
        checkOptionalMembers(jwk, algorithm);
        String kid = optionalString(jwk, "kid").orElse(thumbprint);
        if (!KID.matcher(kid).matches()) {
            throw ClientException.invalid("jwk.kid", "INVALID_KID",
                    "Member 'kid' is 1 to " + MAX_KID_LENGTH + " visible ASCII characters.");
        }
        rebuild(algorithm, spki);
        return new ClientPublicKey(kid, algorithm, spki, Optional.empty());
    }

    /**
     * Reads one PEM X.509 certificate whose public key is Ed25519 or P-256. Its chain and signature are not
     * checked (the certificate is a container for the key, as in RFC 8705 §2.2's self-signed mode); its validity
     * is: an expired or not yet valid certificate is refused, and the key stops working at {@code notAfter}.
     *
     * @param pem {@code -----BEGIN CERTIFICATE-----} … {@code -----END CERTIFICATE-----}, one certificate
     * @param now the time validity is checked at
     * @return the key with the RFC 7638 thumbprint as {@code kid} and the certificate's {@code notAfter}
     * @throws ClientException {@code VALIDATION_ERROR} with field {@code certificate}
     */
    public static ClientPublicKey fromCertificate(String pem, Instant now) {
        if (pem == null || pem.isBlank()) {
            throw ClientException.invalid("certificate", "REQUIRED", "Field 'certificate' is required.");
        }
        if (pem.length() > MAX_CERTIFICATE_LENGTH || !pem.strip().startsWith(PEM_BEGIN)) {
            throw invalidCertificate();
        }
        X509Certificate certificate;
        try {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (all.size() != 1 || !(all.iterator().next() instanceof X509Certificate x509)) {
                throw ClientException.invalid("certificate", "ONE_CERTIFICATE",
                        "Field 'certificate' holds exactly one PEM certificate.");
            }
            certificate = x509;
        } catch (CertificateException | RuntimeException e) {
            if (e instanceof ClientException known) {
                throw known;
            }
            throw invalidCertificate();
        }
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (!now.isBefore(notAfter)) {
            throw ClientException.invalid("certificate", "CERTIFICATE_EXPIRED", "The certificate has expired.");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw ClientException.invalid("certificate", "CERTIFICATE_NOT_YET_VALID",
                    "The certificate is not valid yet.");
        }
        PublicKey key = certificate.getPublicKey();
        ClientPublicKey parsed;
        if (key instanceof ECPublicKey ec) {
            EcPublicJwk jwk;
            try {
                jwk = EcPublicJwk.of(ec);
            } catch (IllegalArgumentException e) {
                throw unsupportedCertificateKey();
            }
            parsed = fromJwk(Map.of("kty", "EC", "crv", jwk.crv(), "x", jwk.x(), "y", jwk.y()));
        } else {
            byte[] encoded = key.getEncoded();
            boolean ed25519 = encoded != null && encoded.length == ED25519_SPKI_PREFIX.length + ED25519_KEY_BYTES
                    && Arrays.equals(encoded, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
                            ED25519_SPKI_PREFIX.length);
            if (!ed25519) {
                throw unsupportedCertificateKey();
            }
            String x = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    Arrays.copyOfRange(encoded, ED25519_SPKI_PREFIX.length, encoded.length));
            parsed = fromJwk(Map.of("kty", "OKP", "crv", "Ed25519", "x", x));
        }
        return new ClientPublicKey(parsed.kid(), parsed.algorithm(), parsed.subjectPublicKeyInfo(),
                Optional.of(notAfter));
    }

    /**
     * The JDK public key of a registered key, for verifying a client assertion's signature
     * ({@code Signature} {@code Ed25519} for {@link #EDDSA}, {@code SHA256withECDSA} for {@link #ES256}).
     *
     * @throws IllegalStateException when the stored key is not a valid key of its algorithm (a corrupt item)
     */
    public static PublicKey publicKey(ClientKey key) {
        return rebuild(key.algorithm(), key.subjectPublicKeyInfo());
    }

    /**
     * The 32-byte Ed25519 public key (RFC 8032 §5.1.5) inside an {@code EdDSA} key's RFC 8410 SubjectPublicKeyInfo,
     * for verifying with Bouncy Castle's {@code Ed25519}; empty for any other key or encoding.
     */
    static Optional<byte[]> ed25519Key(ClientKey key) {
        byte[] spki = key.subjectPublicKeyInfo();
        if (!EDDSA.equals(key.algorithm()) || spki.length != ED25519_SPKI_PREFIX.length + ED25519_KEY_BYTES
                || !Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
                        ED25519_SPKI_PREFIX.length)) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length));
    }

    private static PublicKey rebuild(String algorithm, byte[] spki) {
        String family;
        if (EDDSA.equals(algorithm)) {
            family = "Ed25519";
        } else if (ES256.equals(algorithm)) {
            family = "EC";
        } else {
            throw new IllegalStateException("unsupported client key algorithm");
        }
        try {
            return KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused a stored client key", e);
        }
    }

    private static byte[] ed25519Spki(byte[] raw) {
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + ED25519_KEY_BYTES);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, ED25519_KEY_BYTES);
        return spki;
    }

    private static void checkOptionalMembers(Map<String, ?> jwk, String algorithm) {
        optionalString(jwk, "use").ifPresent(use -> {
            if (!"sig".equals(use)) {
                throw ClientException.invalid("jwk.use", "INVALID_USE", "Member 'use' must be 'sig'.");
            }
        });
        optionalString(jwk, "alg").ifPresent(alg -> {
            boolean matches = alg.equals(algorithm) || (EDDSA.equals(algorithm) && "Ed25519".equals(alg));
            if (!matches) {
                throw ClientException.invalid("jwk.alg", "INVALID_ALG",
                        "Member 'alg' must be '" + algorithm + "' for this key.");
            }
        });
        if (jwk.containsKey("key_ops") && !List.of("verify").equals(jwk.get("key_ops"))) {
            throw ClientException.invalid("jwk.key_ops", "INVALID_KEY_OPS", "Member 'key_ops' must be [\"verify\"].");
        }
        if (jwk.containsKey("ext") && !(jwk.get("ext") instanceof Boolean)) {
            throw ClientException.invalid("jwk.ext", "INVALID_TYPE", "Member 'ext' must be a boolean.");
        }
    }

    private static String requiredString(Map<String, ?> jwk, String member) {
        return optionalString(jwk, member).orElseThrow(() -> ClientException.invalid("jwk." + member, "REQUIRED",
                "Member '" + member + "' is required."));
    }

    private static Optional<String> optionalString(Map<String, ?> jwk, String member) {
        Object value = jwk.get(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw ClientException.invalid("jwk." + member, "INVALID_TYPE", "Member '" + member
                    + "' must be a string.");
        }
        return Optional.of(text);
    }

    /** Canonical unpadded base64url only, so one key has one spelling. */
    private static Optional<byte[]> base64Url(String text) {
        if (text.length() % 4 == 1 || !BASE64URL.matcher(text).matches()) {
            return Optional.empty();
        }
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text) ? Optional.of(bytes)
                : Optional.empty();
    }

    private static ClientException unsupportedCurve() {
        return ClientException.invalid("jwk.crv", "UNSUPPORTED_CURVE",
                "Only the curves Ed25519 (kty OKP) and P-256 (kty EC) are accepted.");
    }

    private static ClientException invalidCertificate() {
        return ClientException.invalid("certificate", "INVALID_CERTIFICATE",
                "Field 'certificate' must be one PEM X.509 certificate.");
    }

    private static ClientException unsupportedCertificateKey() {
        return ClientException.invalid("certificate", "UNSUPPORTED_KEY_TYPE",
                "The certificate's key must be Ed25519 or P-256.");
    }
}
