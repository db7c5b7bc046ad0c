package dev.latchkey.core.client;

import dev.latchkey.core.http.Json;
import dev.latchkey.core.token.Base64Url;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Test helper: JDK-generated Ed25519 and P-256 key pairs, their {@link ClientKey} registrations, and signed
 * client assertions with any header and claims (so tests can also build the attacks).
 */
public final class AssertionSigner {

    private AssertionSigner() {
    }

    /** A fresh Ed25519 key pair. */
    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh P-256 key pair. */
    public static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JOSE {@code alg} for a pair: EdDSA for Ed25519, ES256 for P-256. */
    public static String algorithm(KeyPair pair) {
        return pair.getPublic().getAlgorithm().startsWith("Ed") ? ClientAssertions.EDDSA : ClientAssertions.ES256;
    }

    /** A registered, usable key for the pair. */
    public static ClientKey clientKey(String keyId, String kid, KeyPair pair, Instant createdAt) {
        return new ClientKey(keyId, kid, algorithm(pair), pair.getPublic().getEncoded(), createdAt, "usr_test",
                Optional.empty(), Optional.empty());
    }

    /** The usual claims: iss = sub = client id, aud, iat = now, exp = now + 60 s, a random jti. */
    public static Map<String, Object> claims(String clientId, String audience, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientId);
        claims.put("sub", clientId);
        claims.put("aud", audience);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + 60);
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    /** The header {@code {"alg": …, "kid": kid}} for the pair. */
    public static Map<String, Object> header(KeyPair pair, String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algorithm(pair));
        header.put("kid", kid);
        return header;
    }

    /** Signs with the pair's algorithm (ES256 as 64-byte r‖s). */
    public static String sign(KeyPair pair, Map<String, Object> header, Map<String, Object> claims) {
        String input = encode(Json.write(header)) + "." + encode(Json.write(claims));
        return input + "." + Base64Url.encode(signature(pair.getPrivate(), algorithm(pair),
                input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Signs the usual claims with the usual header. */
    public static String sign(KeyPair pair, String kid, String clientId, String audience, Instant now) {
        return sign(pair, header(pair, kid), claims(clientId, audience, now));
    }

    /** Header and claims with any signature bytes (for {@code alg: none} or HMAC attacks). */
    public static String unsigned(Map<String, Object> header, Map<String, Object> claims, byte[] signature) {
        return encode(Json.write(header)) + "." + encode(Json.write(claims)) + "." + Base64Url.encode(signature);
    }

    private static String encode(byte[] json) {
        return Base64Url.encode(json);
    }

    private static byte[] signature(PrivateKey key, String algorithm, byte[] input) {
        try {
            Signature signer = Signature.getInstance(ClientAssertions.EDDSA.equals(algorithm) ? "Ed25519"
                    : "SHA256withECDSAinP1363Format");
            signer.initSign(key);
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
