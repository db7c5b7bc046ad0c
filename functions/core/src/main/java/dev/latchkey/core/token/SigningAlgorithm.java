package dev.latchkey.core.token;

/**
 * The JWS algorithms of the key ring (RFC 7518 §3.1). The ring keeps one rotation per algorithm: at most one
 * {@code ACTIVE} and one {@code NEXT} key of each.
 */
public enum SigningAlgorithm {

    /** ECDSA P-256 with SHA-256: access tokens, and ID tokens of clients that ask for it. */
    ES256,

    /** RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit keys: ID tokens by default (OpenID Connect Core §15.1). */
    RS256
}
