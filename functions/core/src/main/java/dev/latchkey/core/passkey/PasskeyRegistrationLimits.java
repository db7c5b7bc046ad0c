package dev.latchkey.core.passkey;

import dev.latchkey.core.ratelimit.RateLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * How adding a passkey is guarded (issue 20 §1 and §3; docs/configuration.md):
 *
 * @param recentAuthentication how recently the user must have authenticated ({@code auth_time}) to add a passkey
 *     ({@code LATCHKEY_PASSKEY_RECENT_AUTH_SECONDS}, default 300); older is 401
 *     {@code insufficient_user_authentication}
 * @param perUser registration attempts per user ({@code LATCHKEY_PASSKEY_REGISTER_PER_USER_HOURLY}, per hour)
 * @param perIp registration attempts per source IP ({@code LATCHKEY_PASSKEY_REGISTER_PER_IP_HOURLY}, per hour)
 */
public record PasskeyRegistrationLimits(Duration recentAuthentication, RateLimit perUser, RateLimit perIp) {

    /** Default {@link #recentAuthentication}: 5 minutes. */
    public static final Duration DEFAULT_RECENT_AUTHENTICATION = Duration.ofMinutes(5);
    /** Default {@link #perUser}: 10 an hour. */
    public static final RateLimit DEFAULT_PER_USER = RateLimit.perSeconds(10, 3600);
    /** Default {@link #perIp}: 30 an hour. */
    public static final RateLimit DEFAULT_PER_IP = RateLimit.perSeconds(30, 3600);
    /** The defaults. */
    public static final PasskeyRegistrationLimits DEFAULTS = new PasskeyRegistrationLimits(
            DEFAULT_RECENT_AUTHENTICATION, DEFAULT_PER_USER, DEFAULT_PER_IP);
    /** Bucket prefix of {@link #perUser}. */
    public static final String USER_BUCKET = "passkey-register:user:";
    /** Bucket prefix of {@link #perIp}. */
    public static final String IP_BUCKET = "passkey-register:ip:";

    /** Checks nothing is missing and the window is positive. */
    public PasskeyRegistrationLimits {
        Objects.requireNonNull(recentAuthentication, "recentAuthentication");
        Objects.requireNonNull(perUser, "perUser");
        Objects.requireNonNull(perIp, "perIp");
        if (recentAuthentication.isNegative() || recentAuthentication.isZero()) {
            throw new IllegalArgumentException("recentAuthentication must be positive");
        }
    }
}
