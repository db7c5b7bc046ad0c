package dev.latchkey.core.login;

import java.util.Optional;

/**
 * Port: pending password resets, keyed by the token's hash. Adapter: {@code DynamoDbPasswordResetTokens}
 * ({@code CHALLENGE#<sha256>} / {@code CHALLENGE}, purpose {@value PasswordResetChallenge#PURPOSE}, TTL).
 *
 * <p>Single use by construction: {@link #consume} removes and returns in one atomic step (a conditional
 * delete); {@link #find} only reads, so that a new password can be checked before the token is spent.
 * Every method throws {@link dev.latchkey.core.store.StoreUnavailableException} when the store fails.
 */
public interface PasswordResetTokens {

    /** Stores a new pending reset. */
    void save(PasswordResetChallenge challenge);

    /**
     * The pending reset with this token hash (strongly consistent read), without consuming it.
     *
     * @return empty when there is none, or only a challenge of another purpose
     */
    Optional<PasswordResetChallenge> find(String tokenHash);

    /**
     * Removes the pending reset with this token hash and returns it, atomically. Callers check expiry.
     *
     * @return what was stored, or empty when nothing (or something of another purpose) was
     */
    Optional<PasswordResetChallenge> consume(String tokenHash);
}
