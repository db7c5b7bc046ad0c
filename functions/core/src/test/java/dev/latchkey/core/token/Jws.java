package dev.latchkey.core.token;

import dev.latchkey.core.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-made JWS for attack tests, signed with the JDK directly (not through the code under test),
 * so a test can put anything in a header or payload and still carry a valid ES256 signature.
 */
final class Jws {

    private Jws() {
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] unb64(String text) {
        return Base64.getUrlDecoder().decode(text);
    }

    /** A segment holding this exact JSON text. */
    static String segment(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A segment holding this map as JSON, in its iteration order. */
    static String segment(Map<String, ?> json) {
        return b64(Json.write(json));
    }

    /** {@code header.payload.signature} with an ES256 (r‖s) signature over the first two segments. */
    static String sign(String headerSegment, String payloadSegment, ECPrivateKey key) {
        String input = headerSegment + "." + payloadSegment;
        return input + "." + b64(es256(input, key));
    }

    static String sign(Map<String, ?> header, Map<String, ?> payload, ECPrivateKey key) {
        return sign(segment(header), segment(payload), key);
    }

    /** The 64-byte IEEE P1363 (r‖s) ES256 signature of {@code signingInput}. */
    static byte[] es256(String signingInput, ECPrivateKey key) {
        return signWith("SHA256withECDSAinP1363Format", signingInput, key);
    }

    /** The ASN.1 DER form of an ECDSA signature, which JWS does not allow (RFC 7518 §3.4). */
    static byte[] es256Der(String signingInput, ECPrivateKey key) {
        return signWith("SHA256withECDSA", signingInput, key);
    }

    private static byte[] signWith(String algorithm, String signingInput, ECPrivateKey key) {
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header our issuer writes, as a mutable ordered map. */
    static Map<String, Object> header(String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("typ", "at+jwt");
        header.put("kid", kid);
        return header;
    }

    /** A valid payload for {@link TestKeys#NOW}, as a mutable ordered map. */
    static Map<String, Object> payload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", TestKeys.ISSUER);
        payload.put("sub", "usr_01JXAMPLE0000000000000000");
        payload.put("aud", TestKeys.AUDIENCE);
        payload.put("exp", TestKeys.NOW.getEpochSecond() + 900);
        payload.put("iat", TestKeys.NOW.getEpochSecond());
        payload.put("jti", "jti-0001");
        return payload;
    }
}
