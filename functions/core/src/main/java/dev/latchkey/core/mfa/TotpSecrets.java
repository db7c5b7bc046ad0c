package dev.latchkey.core.mfa;

import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVault;
import dev.latchkey.core.vault.SealedSecret;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * TOTP secrets: 160 random bits (RFC 4226 §4 R6 recommends 160), sealed by the key vault with the encryption
 * context {@code totp}/{@code <userId>} — a sealed secret copied to another user's item does not open — and opened
 * only for the duration of one verification, the plaintext cleared after.
 */
public final class TotpSecrets {

    /** The secret length in bytes (160 bits). */
    public static final int LENGTH = 20;

    /** The encryption context purpose. */
    public static final String PURPOSE = "totp";

    private final KeyVault vault;
    private final SecureRandom random;

    /**
     * @param vault seals and opens (KMS in AWS)
     * @param random the secrets' source
     */
    public TotpSecrets(KeyVault vault, SecureRandom random) {
        this.vault = Objects.requireNonNull(vault, "vault");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The encryption context of a user's TOTP secret. */
    public static EncryptionContext context(String userId) {
        return new EncryptionContext(PURPOSE, userId);
    }

    /** A new random secret; the caller clears it when done. */
    public byte[] generate() {
        byte[] secret = new byte[LENGTH];
        random.nextBytes(secret);
        return secret;
    }

    /**
     * Seals a user's secret.
     *
     * @throws dev.latchkey.core.vault.KeyVaultException when the vault is unavailable
     */
    public SealedSecret seal(String userId, byte[] secret) {
        return vault.seal(secret, context(userId));
    }

    /**
     * Opens a user's sealed secret, applies {@code use} to it and clears the plaintext.
     *
     * @throws dev.latchkey.core.vault.KeyVaultException when the vault is unavailable or the secret is not this
     *     user's
     */
    public <T> T withSecret(String userId, SealedSecret sealed, Function<byte[], T> use) {
        byte[] secret = vault.open(sealed, context(userId));
        try {
            return use.apply(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
