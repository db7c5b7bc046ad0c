package dev.latchkey.core.token;

/**
 * Where a signing key is in its life (ARCHITECTURE.md §5). Keys only move forward:
 * {@code NEXT → ACTIVE → RETIRED}, or {@code NEXT → RETIRED} for a key that never signed.
 */
public enum SigningKeyState {

    /** Published in JWKS but not yet signing, so verifiers already know it when it starts. */
    NEXT,

    /** The one key that signs new access tokens. */
    ACTIVE,

    /** No longer signs; stays published until every token it signed has expired. */
    RETIRED
}
