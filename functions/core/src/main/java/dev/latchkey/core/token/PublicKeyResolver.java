package dev.latchkey.core.token;

import java.security.interfaces.ECPublicKey;
import java.util.Optional;

/**
 * Finds the public key that verifies tokens with a given {@code kid}: the keys JWKS publishes
 * ({@code NEXT}, {@code ACTIVE}, and {@code RETIRED} ones still within their retention).
 *
 * <p>Called on every verification, so implementations answer from memory (a map refreshed from the
 * table now and then), not with a table read per request.
 */
@FunctionalInterface
public interface PublicKeyResolver {

    /**
     * The P-256 public key with this {@code kid}, or empty when none is published.
     *
     * @param kid already checked by the verifier: 1 to 128 base64url characters
     */
    Optional<ECPublicKey> byKid(String kid);
}
