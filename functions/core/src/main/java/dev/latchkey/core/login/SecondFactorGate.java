package dev.latchkey.core.login;

import dev.latchkey.core.account.User;
import dev.latchkey.core.principal.RequestOrigin;
import java.util.List;
import java.util.Optional;

/**
 * Port: whether a user who has just passed a first login step must pass a second one, and if so the pending second
 * step. Implemented by {@code dev.latchkey.core.mfa.MfaLoginGate}; {@link #NONE} for a deployment or test without
 * second factors.
 */
public interface SecondFactorGate {

    /** No user ever has a second factor. */
    SecondFactorGate NONE = (user, firstFactorAmr, origin) -> Optional.empty();

    /**
     * The second step this user must take, or empty when the first step suffices.
     *
     * @param user the user the first step authenticated
     * @param firstFactorAmr how (RFC 8176), such as {@code ["pwd"]}
     * @param origin the request
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed: no tokens)
     */
    Optional<LoginResult.MfaRequired> challenge(User user, List<String> firstFactorAmr, RequestOrigin origin);
}
