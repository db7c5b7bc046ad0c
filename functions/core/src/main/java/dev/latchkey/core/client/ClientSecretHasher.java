package dev.latchkey.core.client;

import dev.latchkey.core.vault.Peppers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stored form of a client secret: HMAC-SHA-256 of the whole secret under the {@link Peppers#CLIENT_SECRET}
 * pepper (sealed by the key vault), like API keys ({@link dev.latchkey.core.apikey.ApiKeyHasher}). A 256-bit
 * random secret needs no slow hash (ARCHITECTURE.md §5); the pepper means a copy of the table alone cannot even
 * test a guess. Comparison is constant-time ({@link MessageDigest#isEqual}).
 */
public final class ClientSecretHasher {

    /** Bytes of a hash. */
    public static final int HASH_BYTES = 32;

    private final Peppers peppers;
    private volatile SecretKeySpec key;

    /** @param peppers opened once per container, on first use */
    public ClientSecretHasher(Peppers peppers) {
        this.peppers = Objects.requireNonNull(peppers, "peppers");
    }

    /** The keyed hash of a secret (of any text: a malformed secret hashes too, and simply matches nothing). */
    public byte[] hash(String secret) {
        Objects.requireNonNull(secret, "secret");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Whether {@code secret} hashes to {@code storedHash}, in constant time (the hash is always computed, the
     * comparison never stops early).
     *
     * @param secret the presented secret; {@code null} matches nothing
     * @param storedHash the stored hash; {@code null} matches nothing
     */
    public boolean matches(String secret, byte[] storedHash) {
        byte[] presented = hash(secret == null ? "" : secret);
        return secret != null && storedHash != null && MessageDigest.isEqual(presented, storedHash);
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            byte[] pepper = peppers.pepper(Peppers.CLIENT_SECRET);
            current = new SecretKeySpec(pepper, "HmacSHA256");
            Arrays.fill(pepper, (byte) 0);
            key = current;
        }
        return current;
    }
}
