package dev.latchkey.core.keys;

import dev.latchkey.core.http.Json;
import dev.latchkey.core.token.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Web Key Set document (RFC 7517 §5) of the keys published at one instant — public
 * members only — with a strong {@code ETag} over its exact bytes.
 *
 * @param body the document
 * @param etag the quoted entity tag (RFC 9110 §8.8.3)
 * @param maxAgeSeconds the {@code Cache-Control: max-age} the policy allows
 */
public record Jwks(byte[] body, String etag, long maxAgeSeconds) {

    /** Copies the body. */
    public Jwks {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The set for a ring at {@code now}: next, active and retired-within-retention keys, oldest first. */
    public static Jwks of(KeyRing ring, Instant now, KeyPolicy policy) {
        List<Map<String, Object>> keys = ring.published(now, policy.retention()).stream()
                .map(Jwks::publicMembers).toList();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("keys", keys);
        byte[] body = Json.write(document);
        return new Jwks(body, "\"" + hash(body) + "\"", policy.jwksMaxAge().toSeconds());
    }

    /** Whether an {@code If-None-Match} header value matches this set (RFC 9110 §13.1.2, weak comparison). */
    public boolean matches(String ifNoneMatch) {
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.trim();
            if (candidate.equals("*") || candidate.equals(etag) || candidate.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> publicMembers(SigningKey key) {
        Map<String, Object> jwk = new LinkedHashMap<>(key.publicJwk().toMap());
        jwk.keySet().retainAll(List.of("kty", "crv", "x", "y", "n", "e", "kid", "use", "alg"));
        return jwk;
    }

    private static String hash(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** The body as text, for tests and logs (it holds public keys only). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
