package dev.latchkey.core.keys;

import java.time.Duration;

/**
 * When keys move. The invariants that make rotation invisible to verifiers:
 * <ul>
 *   <li>a key is published as {@code NEXT} for at least {@code publishLead} before it signs, and
 *       {@code publishLead} is longer than the JWKS cache lifetime, so every verifier that caches
 *       the JWKS already holds the new key when the first token it signed arrives;</li>
 *   <li>a retired key stays published for {@code retention}, at least the longest access-token
 *       lifetime plus the verifiers' leeway, so every token it signed verifies until it expires.</li>
 * </ul>
 *
 * @param rotationInterval how long a key signs before the next one takes over
 * @param publishLead how long a next key is published before it may sign
 * @param jwksMaxAge the JWKS {@code Cache-Control: max-age}
 * @param retention how long a retired key stays published
 */
public record KeyPolicy(Duration rotationInterval, Duration publishLead, Duration jwksMaxAge, Duration retention) {

    /** Checks the invariants. */
    public KeyPolicy {
        if (jwksMaxAge.isNegative() || jwksMaxAge.isZero()) {
            throw new IllegalArgumentException("jwksMaxAge must be positive");
        }
        if (publishLead.compareTo(jwksMaxAge.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("publishLead must be at least twice the JWKS max-age");
        }
        if (rotationInterval.compareTo(publishLead) < 0) {
            throw new IllegalArgumentException("rotationInterval must not be shorter than publishLead");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
    }

    /**
     * The defaults: rotate every 30 days; JWKS cached for 10 minutes; a next key published 1 hour
     * ahead; retired keys published for 1 hour (15-minute access tokens plus leeway, with margin).
     */
    public static KeyPolicy defaults() {
        return new KeyPolicy(Duration.ofDays(30), Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofHours(1));
    }
}
