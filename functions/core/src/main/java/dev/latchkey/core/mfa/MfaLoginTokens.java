package dev.latchkey.core.mfa;

import java.util.Optional;

/**
 * Port: pending second login steps, keyed by the {@code mfa_token}'s hash. Adapter: {@code DynamoDbMfaLoginTokens}
 * ({@code CHALLENGE#<sha256>} / {@code CHALLENGE}, purpose {@value #PURPOSE}, TTL). Single use: {@link #consume}
 * removes and returns in one conditional delete. Every method throws
 * {@link dev.latchkey.core.store.StoreUnavailableException} when the store fails.
 */
public interface MfaLoginTokens {

    /** The challenge purpose of a pending second step. */
    String PURPOSE = "mfa_login";

    /** Stores a new pending second step. */
    void save(MfaLoginChallenge challenge);

    /** The pending step with this hash (strongly consistent), without consuming it. */
    Optional<MfaLoginChallenge> find(String tokenHash);

    /** Removes the pending step with this hash and returns it, atomically; empty when gone. */
    Optional<MfaLoginChallenge> consume(String tokenHash);
}
