package dev.latchkey.core.mfa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: a user's second factors — the active TOTP authenticator, a pending enrolment and the hashed recovery codes.
 * Adapter: {@code DynamoDbMfaRepository} (items under {@code USER#<userId>}, docs/data-model.md). Every method
 * throws {@link dev.latchkey.core.store.StoreUnavailableException} when the store fails.
 */
public interface MfaRepository {

    /** The user's active TOTP factor (strongly consistent read). */
    Optional<TotpFactor> findTotp(String userId);

    /** Stores (or replaces) the user's pending enrolment. */
    void savePending(PendingTotp pending);

    /** The user's pending enrolment, expired or not (the caller checks expiry). */
    Optional<PendingTotp> findPending(String userId);

    /**
     * Activates the pending enrolment atomically: the pending item goes (only if it still holds the same sealed
     * secret), the factor is written (replacing an older one) and the recovery codes are replaced.
     *
     * @param factor the new factor, its {@code lastStep} the step of the confirming code
     * @param recoveryCodeHashes the new recovery codes' hashes
     * @return {@code false} when the pending enrolment changed or went meanwhile (nothing written)
     */
    boolean activate(TotpFactor factor, List<String> recoveryCodeHashes);

    /**
     * Records an accepted TOTP step: succeeds only if the factor exists and its last accepted step is lower (a
     * conditional write), so one code is accepted once even under parallel requests (RFC 6238 §5.2).
     *
     * @return {@code false} when the step (or a later one) was accepted already, or the factor is gone
     */
    boolean acceptStep(String userId, long step, Instant usedAt);

    /**
     * Spends one recovery code: a conditional delete of its hash, so it works once even in parallel.
     *
     * @return {@code false} when no unspent code has this hash
     */
    boolean consumeRecoveryCode(String userId, String codeHash, Instant usedAt);

    /** How many unspent recovery codes the user has. */
    int recoveryCodesLeft(String userId);

    /** Replaces every recovery code of the user with these. */
    void replaceRecoveryCodes(String userId, List<String> codeHashes, Instant createdAt);

    /**
     * Removes the factor, a pending enrolment and every recovery code.
     *
     * @return whether there was an active factor
     */
    boolean remove(String userId);
}
