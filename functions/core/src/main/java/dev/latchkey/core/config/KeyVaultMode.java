package dev.latchkey.core.config;

/** Where secrets are sealed. */
public enum KeyVaultMode {
    /** AWS KMS envelope encryption (the default in AWS). */
    KMS,
    /** AES-256-GCM under a local master key (the local server and tests). */
    LOCAL
}
