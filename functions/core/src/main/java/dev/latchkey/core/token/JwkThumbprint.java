package dev.latchkey.core.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * JSON Web Key thumbprints (RFC 7638). Latchkey uses the SHA-256 thumbprint of a signing key's
 * public JWK as its {@code kid}, so a key id names exactly one key and anyone can recompute it.
 */
public final class JwkThumbprint {

    /** RFC 7638 §3.2: the required members of each key type, already in lexicographic order. */
    private static final Map<String, List<String>> REQUIRED_MEMBERS = Map.of(
            "EC", List.of("crv", "kty", "x", "y"),
            "RSA", List.of("e", "kty", "n"),
            "OKP", List.of("crv", "kty", "x"));

    private JwkThumbprint() {
    }

    /**
     * The base64url (unpadded) SHA-256 thumbprint of a public JWK (RFC 7638 §3): a JSON object of
     * only the required members of its {@code kty} (EC: crv, kty, x, y; RSA: e, kty, n; OKP (RFC 8037
     * §2): crv, kty, x), in lexicographic order, without whitespace, hashed as UTF-8. Other members
     * ({@code kid}, {@code use}, {@code alg}, private members) are ignored.
     *
     * @param jwk the key's members; the required ones must be strings
     * @return 43 base64url characters
     * @throws IllegalArgumentException when {@code kty} is missing or unsupported, or a required
     *     member is missing or not a string
     */
    public static String sha256(Map<String, ?> jwk) {
        Object kty = jwk.get("kty");
        List<String> members = kty instanceof String type ? REQUIRED_MEMBERS.get(type) : null;
        if (members == null) {
            throw new IllegalArgumentException("unsupported or missing kty");
        }
        StringBuilder json = new StringBuilder("{");
        for (String name : members) {
            if (!(jwk.get(name) instanceof String value)) {
                throw new IllegalArgumentException("JWK member '" + name + "' must be a string");
            }
            if (json.length() > 1) {
                json.append(',');
            }
            appendString(json, name);
            json.append(':');
            appendString(json, value);
        }
        json.append('}');
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return Base64Url.encode(sha256.digest(json.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A JSON string with only the escapes RFC 8259 §7 requires (RFC 7638 §3.3: no others). */
    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
