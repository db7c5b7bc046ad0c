package dev.latchkey.core.vault;

import java.util.Arrays;
import java.util.Base64;

/**
 * A secret sealed by a {@link KeyVault}: opaque bytes, safe to store in the table. The format is
 * the vault's own (versioned by its first byte).
 */
public final class SealedSecret {

    private final byte[] bytes;

    private SealedSecret(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** Wraps sealed bytes. */
    public static SealedSecret of(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty sealed secret");
        }
        return new SealedSecret(bytes);
    }

    /** Reads the base64url form written by {@link #encoded()}. */
    public static SealedSecret decode(String encoded) {
        return of(Base64.getUrlDecoder().decode(encoded));
    }

    /** The sealed bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Base64url without padding, for storage as a string attribute. */
    public String encoded() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedSecret s && Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SealedSecret[" + bytes.length + " bytes]";
    }
}
