package dev.latchkey.core.application;

import java.util.Optional;

/**
 * The algorithm of an application's ID tokens ({@code id_token_signed_response_alg}, OIDC Registration §2). RS256 is
 * the default that every relying party supports (OIDC Core §15.1); ES256 on request.
 */
public enum IdTokenAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256, the key ring's RS256 key. */
    RS256,
    /** ECDSA P-256 with SHA-256, the key ring's ES256 key (the one access tokens use). */
    ES256;

    /** The algorithm of a JWA name, or empty. */
    public static Optional<IdTokenAlgorithm> fromName(String text) {
        for (IdTokenAlgorithm algorithm : values()) {
            if (algorithm.name().equals(text)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}
