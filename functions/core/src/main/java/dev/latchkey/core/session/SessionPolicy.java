package dev.latchkey.core.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How long tokens and sessions live.
 *
 * @param accessTokenLifetime lifetime of every access token (default 15 minutes, ARCHITECTURE.md §5);
 *     also how long a revoked session's access tokens may still be accepted by resource servers
 * @param idleLifetime a session unused for this long expires (default 14 days); every refresh moves
 *     the idle expiry to now + this, capped at the absolute expiry
 * @param absoluteLifetime a session expires this long after it started, however often it is
 *     refreshed (default 30 days); the user must log in again
 * @param reuseGrace how long after a rotation the rotated refresh token may be presented again and
 *     get the <em>same</em> successor back, as long as that successor is unused (default 10 s): covers
 *     a lost response and parallel refreshes of one client without weakening reuse detection
 */
public record SessionPolicy(Duration accessTokenLifetime, Duration idleLifetime, Duration absoluteLifetime,
        Duration reuseGrace) {

    /** Longest accepted grace: beyond a minute a stolen token's window grows for no real client benefit. */
    public static final Duration MAX_REUSE_GRACE = Duration.ofSeconds(60);

    /**
     * Checks the invariants.
     *
     * @throws IllegalArgumentException when a lifetime is not positive, the idle lifetime exceeds the
     *     absolute one, the access-token lifetime exceeds the idle one, or the grace is negative or
     *     over {@link #MAX_REUSE_GRACE}
     */
    public SessionPolicy {
        positive(Objects.requireNonNull(accessTokenLifetime, "accessTokenLifetime"), "accessTokenLifetime");
        positive(Objects.requireNonNull(idleLifetime, "idleLifetime"), "idleLifetime");
        positive(Objects.requireNonNull(absoluteLifetime, "absoluteLifetime"), "absoluteLifetime");
        Objects.requireNonNull(reuseGrace, "reuseGrace");
        if (idleLifetime.compareTo(absoluteLifetime) > 0) {
            throw new IllegalArgumentException("idleLifetime must not exceed absoluteLifetime");
        }
        if (accessTokenLifetime.compareTo(idleLifetime) > 0) {
            throw new IllegalArgumentException("accessTokenLifetime must not exceed idleLifetime");
        }
        if (reuseGrace.isNegative() || reuseGrace.compareTo(MAX_REUSE_GRACE) > 0) {
            throw new IllegalArgumentException("reuseGrace must be within 0..60 s");
        }
    }

    /** 15-minute access tokens, 14 days idle, 30 days absolute, 10 s reuse grace. */
    public static SessionPolicy defaults() {
        return new SessionPolicy(Duration.ofMinutes(15), Duration.ofDays(14), Duration.ofDays(30),
                Duration.ofSeconds(10));
    }

    private static void positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
