package dev.latchkey.core.passkey;

import dev.latchkey.core.audit.AuditEvent;
import java.util.List;
import java.util.Optional;

/**
 * Port: the passkeys. Adapter: {@code DynamoDbPasskeyRepository} (single table: the passkey
 * {@code USER#<userId>} / {@code PASSKEY#<credentialId>}, its credential-id lookup
 * {@code CREDENTIAL#<credentialId>} / {@code CREDENTIAL} holding the same record, and the user's handle
 * {@code USER#<userId>} / {@code WEBAUTHN}; docs/data-model.md).
 *
 * <p>Every read is strongly consistent. Store failures surface as
 * {@link dev.latchkey.core.store.StoreUnavailableException} (503): callers fail closed.
 */
public interface PasskeyRepository {

    /**
     * The user's WebAuthn user handle, created on first use: when the user has none, {@code candidate} is stored
     * (only if still none: parallel first registrations agree on one handle) and returned.
     *
     * @param userId {@code usr_…}
     * @param candidate a fresh random handle, base64url
     * @return the user's one handle
     */
    String userHandle(String userId, String candidate);

    /**
     * The user's passkeys, oldest first.
     *
     * @param userId {@code usr_…}
     */
    List<Passkey> findByUser(String userId);

    /**
     * The passkey with this credential id, whoever owns it: one read of the lookup item (a usernameless login
     * knows only the credential id).
     *
     * @param credentialId base64url
     */
    Optional<Passkey> findByCredentialId(String credentialId);

    /**
     * Stores a new passkey and its audit event atomically: the passkey, the lookup item (only if no lookup for
     * the credential id exists: one credential never belongs to two users) and the event.
     *
     * @throws PasskeyException {@link PasskeyException#alreadyRegistered()} when the credential id is taken
     */
    void add(Passkey passkey, AuditEvent event);

    /**
     * Records a login: the counter, backup state, UV and last use of {@code used}, only if the stored counter is
     * still {@code expectedSignCount} (two logins never both move it from one value).
     *
     * @return false when the counter moved meanwhile or the passkey is gone
     */
    boolean recordUse(Passkey used, long expectedSignCount);

    /**
     * Writes a passkey's clone state — {@link Passkey#suspectedCloneAt()} and {@link Passkey#signCount()} of
     * {@code updated} — to the passkey and its lookup item, with its audit event, atomically (issue 20 §4: marking a
     * suspected clone, and the owner's confirmation that clears the mark and restarts the counter).
     *
     * @return {@code updated}
     * @throws PasskeyException {@link PasskeyException#notFound()} when it is gone
     */
    Passkey updateCloneState(Passkey updated, AuditEvent event);

    /**
     * Renames a passkey, with its audit event, atomically.
     *
     * @return the renamed passkey
     * @throws PasskeyException {@link PasskeyException#notFound()} when it is gone
     */
    Passkey rename(Passkey passkey, String nickname, AuditEvent event);

    /**
     * Deletes a passkey and its lookup item, with its audit event, atomically.
     *
     * @throws PasskeyException {@link PasskeyException#notFound()} when it is gone
     */
    default void delete(Passkey passkey, AuditEvent event) {
        delete(passkey, Optional.empty(), event);
    }

    /**
     * Deletes a passkey and its lookup item, with its audit event, atomically — and only if
     * {@code mustRemain} (another passkey of the same user) still exists at that moment. For an account
     * without a password this makes "never delete the last passkey" hold under parallel deletes: of two
     * transactions that each delete one of the last two passkeys and check the other, at most one
     * commits (DynamoDB transactions are serializable).
     *
     * @throws PasskeyException {@link PasskeyException#notFound()} when it is gone;
     *     {@link PasskeyException#lastSignInMethod()} when {@code mustRemain} is gone
     */
    void delete(Passkey passkey, Optional<Passkey> mustRemain, AuditEvent event);
}
