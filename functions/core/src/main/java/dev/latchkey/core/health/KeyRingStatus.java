package dev.latchkey.core.health;

import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.KeyRing;
import dev.latchkey.core.token.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code GET /health} says about the signing-key ring: which key signs, since when, when the scheduled rotation
 * replaces it, and whether a next key is already published. Public facts only (kids are in the JWKS anyway).
 *
 * @param status up when the ring was read, down when the store failed
 * @param activeKid the kid of the ES256 key that signs access tokens, empty before the first rotation
 * @param activeAge how long the active key has signed
 * @param nextRotation when the rotation schedule replaces the active key ({@code activatedAt + rotationInterval})
 * @param nextKid the published next key, if any
 * @param keys how many keys the ring holds (ES256 and RS256; next, active and retired)
 */
public record KeyRingStatus(HealthReport.Status status, Optional<String> activeKid, Optional<Duration> activeAge,
        Optional<Instant> nextRotation, Optional<String> nextKid, int keys) {

    /** The ring could not be read. */
    public static KeyRingStatus down() {
        return new KeyRingStatus(HealthReport.Status.DOWN, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0);
    }

    /** The status of a ring read at {@code now} under {@code policy}. */
    public static KeyRingStatus of(KeyRing ring, KeyPolicy policy, Instant now) {
        Optional<SigningKey> active = ring.active();
        Optional<Instant> activatedAt = active.flatMap(SigningKey::activatedAt);
        return new KeyRingStatus(HealthReport.Status.UP, active.map(SigningKey::kid),
                activatedAt.map(at -> Duration.between(at, now)),
                activatedAt.map(at -> at.plus(policy.rotationInterval())),
                ring.next().map(SigningKey::kid), ring.keys().size());
    }
}
