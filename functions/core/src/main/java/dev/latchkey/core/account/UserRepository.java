package dev.latchkey.core.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: the accounts. Adapter: {@code DynamoDbUserRepository} (single table: {@code USER#<id>} /
 * {@code PROFILE}, uniqueness through the claim item {@code EMAIL#<canonical>} / {@code EMAIL}).
 *
 * <p>Every read is strongly consistent, so a login right after registration, or right after a
 * password change, sees the write. Failures of the store (throttling, 5xx, network, after the SDK's
 * retries) surface as {@link dev.latchkey.core.store.StoreUnavailableException} (503): callers fail
 * closed, never treating "store down" as "no such user".
 */
public interface UserRepository {

    /**
     * The user with this id.
     *
     * @param userId {@code usr_…}
     * @return the user, or empty when there is none
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot answer
     */
    Optional<User> findById(String userId);

    /**
     * The user who owns this email address: the claim item first, then that user's profile (two
     * strongly consistent reads). The login flow calls this with {@link EmailAddress#canonical()} of
     * what was typed; when it is empty, call {@link PasswordHasher#verifyDummy(String)} so timing
     * does not reveal the difference (ASVS 5.0 6.3.8).
     *
     * @param canonicalEmail {@link EmailAddress#canonical()}, never the address as typed
     * @return the user, or empty when no account has this address
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot answer
     */
    Optional<User> findByEmail(String canonicalEmail);

    /**
     * Writes a new account atomically (one transaction): user, email claim (only if no claim for the
     * canonical email exists), personal organization, owner membership and the audit event. Either
     * all of them are written or none.
     *
     * @throws AccountException {@code CONFLICT} / {@code EMAIL_TAKEN} when the email is already claimed
     *     (the message names neither the address nor the other account)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot commit it;
     *     nothing is written then
     */
    void create(NewAccount account);

    /**
     * Marks the user's email verified, only if the user exists and still has {@code canonicalEmail}
     * (one conditional write, no read-then-write).
     *
     * @param userId {@code usr_…}
     * @param canonicalEmail the address the verification token was issued for
     * @param at when it was verified
     * @return the updated user, or empty when the user is gone or the address has changed since
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot answer
     */
    Optional<User> markEmailVerified(String userId, String canonicalEmail, Instant at);

    /**
     * The organizations the user belongs to, with the user's role in each (the {@code gsi1} index:
     * {@code gsi1pk = USER#<id>}, then the organizations' names). The index is eventually consistent:
     * a membership granted a moment ago may be missing.
     *
     * @param userId {@code usr_…}
     * @return the memberships, in organization id order; empty for an unknown user
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot answer
     * @throws UnsupportedOperationException from an adapter that does not implement it
     */
    default List<Membership> memberships(String userId) {
        throw new UnsupportedOperationException("memberships");
    }

    /**
     * Replaces the user's password hash, only if it is still {@code expectedHash} (one conditional
     * write): a rehash after login, a password change or a reset never overwrites a change that
     * happened in between.
     *
     * @param userId {@code usr_…}
     * @param expectedHash the PHC string read before
     * @param newHash the new PHC string
     * @return true when written; false when the user is gone or the hash changed meanwhile
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot answer
     * @throws UnsupportedOperationException from an adapter that does not implement it
     */
    default boolean replacePasswordHash(String userId, String expectedHash, String newHash) {
        throw new UnsupportedOperationException("replacePasswordHash");
    }

    /**
     * Disables or enables the account (one conditional write on the profile; the account must exist).
     *
     * @param userId {@code usr_…}
     * @param disabled the new state
     * @return true when written; false when there is no such user
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store cannot answer
     * @throws UnsupportedOperationException from an adapter that does not implement it
     */
    default boolean setDisabled(String userId, boolean disabled) {
        throw new UnsupportedOperationException("setDisabled");
    }
}
