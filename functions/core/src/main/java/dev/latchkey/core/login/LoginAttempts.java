package dev.latchkey.core.login;

import java.time.Instant;
import java.util.Optional;

/**
 * Remembers consecutive password-login failures per account. The account key is derived by the
 * caller from the canonical email (a hash, so no email is stored here), and exists for unknown
 * emails too, so throttling reveals nothing about which accounts exist.
 */
public interface LoginAttempts {

    /**
     * The account's current streak, if any.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed)
     */
    Optional<Streak> current(String accountKey);

    /**
     * Counts one failure unless the account is locked at {@code now} (attempts while locked are
     * not counted and do not extend the lock), and sets the lock the policy asks for. Atomic
     * against concurrent failures.
     *
     * @return the streak after this attempt
     */
    Streak recordFailure(String accountKey, Instant now, ThrottlePolicy policy);

    /** Forgets the streak (a successful login or a password reset). */
    void reset(String accountKey);

    /**
     * One account's failure streak.
     *
     * @param failures consecutive failures
     * @param lockedUntil until when password login is refused (may be in the past)
     */
    record Streak(long failures, Instant lockedUntil) {

        /** Whether password login is refused at {@code now}. */
        public boolean lockedAt(Instant now) {
            return now.isBefore(lockedUntil);
        }
    }
}
