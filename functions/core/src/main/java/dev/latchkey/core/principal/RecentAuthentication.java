package dev.latchkey.core.principal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The step-up check of RFC 9470: a sensitive request needs the user to have authenticated within a window, judged
 * by the access token's {@code auth_time} (OpenID Connect Core §2; carried into {@link AuthenticatedUser}). A token
 * without {@code auth_time}, or one whose {@code auth_time} is older than the window, fails with
 * {@link StepUpRequiredException}: 401 {@code insufficient_user_authentication} with {@code max_age}, so the client
 * knows to re-authenticate the user and retry.
 *
 * <p>An {@code auth_time} in the future (a clock skew larger than any token leeway) counts as recent: the token
 * verified, and refusing would lock the user out until clocks agree.
 */
public final class RecentAuthentication {

    private final Clock clock;

    /** @param clock the time now */
    public RecentAuthentication(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks the caller authenticated at most {@code maxAge} ago (RFC 9470 §3, {@code max_age}).
     *
     * @param caller the authenticated caller
     * @param maxAge the window (not negative)
     * @throws StepUpRequiredException when {@code auth_time} is absent or older than {@code maxAge}
     */
    public void require(AuthenticatedUser caller, Duration maxAge) {
        require(caller, maxAge, List.of());
    }

    /**
     * Like {@link #require(AuthenticatedUser, Duration)}, naming the authentication contexts the challenge asks for.
     *
     * @param caller the authenticated caller
     * @param maxAge the window (not negative)
     * @param acrValues RFC 9470 {@code acr_values} for the challenge (may be empty)
     * @throws StepUpRequiredException when {@code auth_time} is absent or older than {@code maxAge}
     */
    public void require(AuthenticatedUser caller, Duration maxAge, List<String> acrValues) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(maxAge, "maxAge");
        if (!isRecent(caller, maxAge)) {
            throw new StepUpRequiredException(maxAge, acrValues);
        }
    }

    /**
     * Whether the caller authenticated at most {@code maxAge} ago.
     *
     * @param caller the authenticated caller
     * @param maxAge the window (not negative)
     * @return false when {@code auth_time} is absent or too old
     */
    public boolean isRecent(AuthenticatedUser caller, Duration maxAge) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative");
        }
        if (caller.authTime().isEmpty()) {
            return false;
        }
        Instant oldest = clock.instant().minus(maxAge);
        return !caller.authTime().get().isBefore(oldest);
    }
}
