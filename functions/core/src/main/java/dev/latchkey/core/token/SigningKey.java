package dev.latchkey.core.token;

import dev.latchkey.core.vault.SealedSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored signing key: its public JWK, its private key sealed by the key vault, and its state.
 * Made by {@link SigningKeys#generate}; opened for signing by {@link SigningKeys#open}. Safe to
 * log: {@link SealedSecret#toString()} shows only a length.
 *
 * @param kid the RFC 7638 thumbprint of {@code publicJwk}
 * @param state where the key is in its life
 * @param publicJwk the public key
 * @param sealedPrivateKey the PKCS#8 private key, sealed with context
 *     {@code ("signing-key", kid)}
 * @param createdAt when the key was generated
 * @param activatedAt when it started signing; present exactly when it has been {@code ACTIVE}
 * @param retiredAt when it stopped; present exactly when {@code RETIRED}
 */
public record SigningKey(String kid, SigningKeyState state, PublicJwk publicJwk, SealedSecret sealedPrivateKey,
        Instant createdAt, Optional<Instant> activatedAt, Optional<Instant> retiredAt) {

    /**
     * Validates the key.
     *
     * @throws IllegalArgumentException when {@code kid} is not the thumbprint of {@code publicJwk},
     *     or the timestamps do not fit the state ({@code NEXT}: neither; {@code ACTIVE}:
     *     {@code activatedAt} only; {@code RETIRED}: {@code retiredAt}, and {@code activatedAt} if
     *     it ever signed)
     */
    public SigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(publicJwk, "publicJwk");
        Objects.requireNonNull(sealedPrivateKey, "sealedPrivateKey");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(activatedAt, "activatedAt");
        Objects.requireNonNull(retiredAt, "retiredAt");
        if (!kid.equals(publicJwk.thumbprint())) {
            throw new IllegalArgumentException("kid must be the RFC 7638 thumbprint of the public key");
        }
        boolean consistent = switch (state) {
            case NEXT -> activatedAt.isEmpty() && retiredAt.isEmpty();
            case ACTIVE -> activatedAt.isPresent() && retiredAt.isEmpty();
            case RETIRED -> retiredAt.isPresent();
        };
        if (!consistent) {
            throw new IllegalArgumentException("timestamps do not match state " + state);
        }
    }

    /** The algorithm this key signs with: its ring rotates separately from the other algorithm's. */
    public SigningAlgorithm algorithm() {
        return publicJwk.algorithm();
    }

    /**
     * This key moved to {@code target} at {@code at}: {@code NEXT → ACTIVE} sets
     * {@code activatedAt}, {@code ACTIVE → RETIRED} and {@code NEXT → RETIRED} set {@code retiredAt}.
     *
     * @throws IllegalStateException for any other move (backwards, or to the same state)
     */
    public SigningKey withState(SigningKeyState target, Instant at) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(at, "at");
        if (state == SigningKeyState.NEXT && target == SigningKeyState.ACTIVE) {
            return new SigningKey(kid, target, publicJwk, sealedPrivateKey, createdAt, Optional.of(at), retiredAt);
        }
        if (state != SigningKeyState.RETIRED && target == SigningKeyState.RETIRED) {
            return new SigningKey(kid, target, publicJwk, sealedPrivateKey, createdAt, activatedAt, Optional.of(at));
        }
        throw new IllegalStateException("a signing key cannot move from " + state + " to " + target);
    }

    /**
     * Whether JWKS should still publish this key at {@code now}: {@code NEXT} and {@code ACTIVE}
     * keys always; a {@code RETIRED} key while {@code now < retiredAt + retention}. Pass as
     * retention the longest access-token lifetime plus the verifiers' leeway, so every token the key
     * signed verifies until it expires (SECURITY.md "Tokens and JWKS").
     */
    public boolean isPublishedAt(Instant now, Duration retention) {
        return retiredAt.map(retired -> now.isBefore(retired.plus(retention))).orElse(true);
    }
}
