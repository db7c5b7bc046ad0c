package dev.latchkey.core.account;

import java.util.Optional;

/**
 * Port: pending email verifications, keyed by the token's hash. Adapter:
 * {@code DynamoDbVerificationTokens} ({@code CHALLENGE#<sha256>} / {@code CHALLENGE}, TTL {@code expiresAt}).
 *
 * <p>Single use by construction: {@link #consume} removes and returns in one atomic step (a
 * conditional delete), never read-then-write, so two requests with one token cannot both win.
 */
public interface VerificationTokens {

    /**
     * Stores a new pending verification.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot take it
     */
    void save(EmailVerificationChallenge challenge);

    /**
     * Removes the pending verification with this token hash and returns it, atomically. The caller
     * checks {@link EmailVerificationChallenge#expiredAt}: the store deletes expired items lazily, so an
     * expired one may still be returned.
     *
     * @param tokenHash {@link VerificationToken#hash()}
     * @return what was stored, or empty when nothing (or something other than an email verification) was
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot answer
     */
    Optional<EmailVerificationChallenge> consume(String tokenHash);
}
