package dev.latchkey.core.token;

import java.util.Map;

/**
 * The public half of a signing key as a JWK: P-256 for ES256 access tokens, RSA for RS256 ID tokens (OpenID Connect
 * Core §15.1 requires RS256 support). It never holds a private member.
 */
public sealed interface PublicJwk permits EcPublicJwk, RsaPublicJwk {

    /** The RFC 7638 SHA-256 thumbprint: the key's {@code kid}. */
    String thumbprint();

    /** The JWS algorithm this key signs with (RFC 7518 §3.1). */
    SigningAlgorithm algorithm();

    /** This key as a JDK public key, for verifying signatures. */
    java.security.PublicKey toPublicKey();

    /** This key as a JWKS entry, public members only, in a stable member order. */
    Map<String, Object> toMap();
}
