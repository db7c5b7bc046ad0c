package dev.latchkey.core.vault;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a sealed secret is for and whom it belongs to. The same context is needed to open it, so a
 * sealed value copied to another item or purpose does not open (KMS encryption context; AES-GCM
 * associated data locally).
 *
 * @param purpose what the secret is, such as {@code signing-key} or {@code pepper}
 * @param ownerId whose it is, such as a key id or {@code global}
 */
public record EncryptionContext(String purpose, String ownerId) {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:#-]{1,128}");

    /** Validates both parts. */
    public EncryptionContext {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(ownerId, "ownerId");
        if (!TOKEN.matcher(purpose).matches() || !TOKEN.matcher(ownerId).matches()) {
            throw new IllegalArgumentException("encryption context parts must match " + TOKEN);
        }
    }

    /** As a KMS encryption context map. */
    public Map<String, String> asMap() {
        return Map.of("latchkey:purpose", purpose, "latchkey:owner", ownerId);
    }

    /** A canonical byte form for associated data. */
    public byte[] associatedData() {
        return ("latchkey:purpose=" + purpose + "\nlatchkey:owner=" + ownerId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
