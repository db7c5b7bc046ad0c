package dev.latchkey.core.principal;

/**
 * The step-up check of a sensitive operation (RFC 9470; issue 14 item 6), as the use cases outside
 * {@code core.mfa} see it: creating an API key with a {@code *:manage} permission, deleting an organization,
 * making a member owner. The implementation is {@code core.mfa.StepUp} (a sign-in within 10 minutes, and a
 * multi-factor one when the user has a second factor); this port keeps {@code core.apikey} and {@code core.org}
 * free of a dependency on {@code core.mfa}.
 *
 * <p>Only a signed-in user steps up: an API key has no sign-in to repeat, and it can only hand on permissions it
 * holds itself ({@link OrgAccess#requireCanGrant}).
 */
@FunctionalInterface
public interface SensitiveOperations {

    /**
     * Checks the user signed in recently enough (and with a second factor when they have one).
     *
     * @throws StepUpRequiredException 401 {@code insufficient_user_authentication} otherwise
     */
    void requireStepUp(AuthenticatedUser user);

    /**
     * {@link #requireStepUp(AuthenticatedUser)} for a user caller; nothing for an API key.
     *
     * @throws StepUpRequiredException 401 {@code insufficient_user_authentication} for a user without a recent
     *     enough sign-in
     */
    default void requireStepUp(Caller caller) {
        if (caller instanceof Caller.User user) {
            requireStepUp(user.authenticated());
        }
    }
}
