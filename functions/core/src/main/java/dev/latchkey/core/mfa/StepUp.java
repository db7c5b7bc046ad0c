package dev.latchkey.core.mfa;

import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RecentAuthentication;
import dev.latchkey.core.principal.SensitiveOperations;
import dev.latchkey.core.principal.StepUpRequiredException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Step-up for sensitive operations (RFC 9470; issue 14 item 6: removing the second factor, new recovery codes, an
 * API key with {@code *:manage}, deleting an organization, making a member owner): the caller's {@code auth_time}
 * within {@link #MAX_AGE}, and — when the user has a second factor — an {@code amr} with {@code mfa} (a password
 * plus code login, or a passkey login with user verification). Otherwise 401 with
 * {@code WWW-Authenticate: Bearer error="insufficient_user_authentication", …, max_age="600"} and, for a user with a
 * second factor, {@code acr_values} = {@value #ACR_MULTI_FACTOR} (the OpenID PAPE multi-factor policy).
 */
public final class StepUp implements SensitiveOperations {

    /** The longest time since sign-in a sensitive operation accepts. */
    public static final Duration MAX_AGE = Duration.ofMinutes(10);

    /** The {@code acr_values} hint of a step-up that needs a second factor. */
    public static final String ACR_MULTI_FACTOR = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

    /** The RFC 8176 {@code amr} value of a multi-factor sign-in. */
    public static final String AMR_MFA = "mfa";

    private final MfaRepository factors;
    private final RecentAuthentication recent;

    /**
     * @param factors whether the user has a second factor
     * @param recent the {@code auth_time} check
     */
    public StepUp(MfaRepository factors, RecentAuthentication recent) {
        this.factors = Objects.requireNonNull(factors, "factors");
        this.recent = Objects.requireNonNull(recent, "recent");
    }

    /**
     * Checks the caller signed in recently enough, and with a second factor when they have one.
     *
     * @throws StepUpRequiredException 401 {@code insufficient_user_authentication} otherwise
     */
    public void require(AuthenticatedUser caller) {
        requireStepUp(caller);
    }

    @Override
    public void requireStepUp(AuthenticatedUser caller) {
        boolean hasFactor = factors.findTotp(caller.userId()).isPresent();
        List<String> acr = hasFactor ? List.of(ACR_MULTI_FACTOR) : List.of();
        recent.require(caller, MAX_AGE, acr);
        if (hasFactor && !caller.amr().contains(AMR_MFA)) {
            throw new StepUpRequiredException(MAX_AGE, acr);
        }
    }
}
