package dev.latchkey.core.apikey;

import dev.latchkey.core.vault.Peppers;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stored form of a key: HMAC-SHA-256 of the whole key under the {@link Peppers#API_KEY} pepper
 * (sealed by the key vault). A high-entropy secret needs no slow hash (ARCHITECTURE.md §5); the pepper
 * means a copy of the table alone cannot even test a guess. Comparison is constant-time
 * ({@link MessageDigest#isEqual}).
 */
public final class ApiKeyHasher {

    /** Bytes of a hash. */
    public static final int HASH_BYTES = 32;

    private final Peppers peppers;
    private volatile SecretKeySpec key;

    /** @param peppers opened once per container, on first use */
    public ApiKeyHasher(Peppers peppers) {
        this.peppers = Objects.requireNonNull(peppers, "peppers");
    }

    /** The keyed hash of a key. */
    public byte[] hash(ApiKeyToken token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            return mac.doFinal(token.bytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether the key hashes to {@code stored}, in constant time. */
    public static boolean matches(byte[] hash, byte[] stored) {
        return stored != null && MessageDigest.isEqual(hash, stored);
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            byte[] pepper = peppers.pepper(Peppers.API_KEY);
            current = new SecretKeySpec(pepper, "HmacSHA256");
            Arrays.fill(pepper, (byte) 0);
            key = current;
        }
        return current;
    }
}
