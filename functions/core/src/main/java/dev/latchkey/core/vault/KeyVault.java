package dev.latchkey.core.vault;

/**
 * Seals and opens secrets (signing private keys, TOTP seeds, the HMAC pepper) with an encryption
 * context. Implementations: {@code AwsKmsKeyVault} (KMS envelope encryption) and
 * {@code LocalKeyVault} (AES-256-GCM under a local master key).
 *
 * <p>Callers open secrets at start-up and keep them; a vault call is never on the per-request path.
 */
public interface KeyVault {

    /**
     * Seals a secret.
     *
     * @param plaintext the secret; the caller should clear its copy when done
     * @param context what the secret is for and whose it is; needed again to open it
     * @throws KeyVaultException when the vault is unavailable
     */
    SealedSecret seal(byte[] plaintext, EncryptionContext context);

    /**
     * Opens a sealed secret.
     *
     * @throws KeyVaultException {@code unavailable} when the vault cannot be reached,
     *     {@code cannotOpen} when the data or context does not match
     */
    byte[] open(SealedSecret sealed, EncryptionContext context);

    /**
     * Checks that the vault can serve requests now (for readiness), without sealing anything.
     *
     * @throws KeyVaultException {@code unavailable} when it cannot
     */
    void check();
}
