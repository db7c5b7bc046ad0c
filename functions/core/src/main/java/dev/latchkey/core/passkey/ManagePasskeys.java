package dev.latchkey.core.passkey;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RecentAuthentication;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed-in user's own passkeys (API.md {@code GET /v1/users/me/passkeys}, {@code PATCH …/{passkeyId}},
 * {@code DELETE …/{passkeyId}}). A passkey id is looked up only among the caller's passkeys, so another user's
 * passkey is 404 like one that does not exist. Deleting the last passkey of an account without a password is
 * refused (409): the account would have no way to sign in. Changes are audited ({@code passkey.renamed},
 * {@code passkey.removed}) in the same transaction as the change.
 */
public final class ManagePasskeys {

    private final UserRepository users;
    private final PasskeyRepository passkeys;
    private final PasskeyAudit audit;
    private final RecentAuthentication recent;
    private final Duration recentWindow;

    /**
     * @param users the accounts (personal organization of the events, whether a password is set)
     * @param passkeys the passkeys
     * @param ids event ids
     * @param clock the time source
     */
    public ManagePasskeys(UserRepository users, PasskeyRepository passkeys, IdGenerator ids, Clock clock) {
        this(users, passkeys, PasskeyRegistrationLimits.DEFAULT_RECENT_AUTHENTICATION, ids, clock);
    }

    /**
     * @param users the accounts (personal organization of the events, whether a password is set)
     * @param passkeys the passkeys
     * @param recentWindow how recently the user must have authenticated to confirm a suspected clone
     * @param ids event ids
     * @param clock the time source
     */
    public ManagePasskeys(UserRepository users, PasskeyRepository passkeys, Duration recentWindow, IdGenerator ids,
            Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
        this.audit = new PasskeyAudit(Objects.requireNonNull(ids, "ids"), Objects.requireNonNull(clock, "clock"));
        this.recent = new RecentAuthentication(clock);
        this.recentWindow = Objects.requireNonNull(recentWindow, "recentWindow");
    }

    /**
     * Issue 20 §4: the owner confirms a passkey suspected of being cloned is theirs. The mark goes and the stored
     * counter restarts at 0 ({@link Passkey#cloneConfirmed()}); audited as {@code passkey.clone_confirmed}. Like
     * adding a passkey, it needs recent authentication: a stolen session must not re-enable a clone.
     *
     * @return the passkey, no longer suspected (unchanged when it was not)
     * @throws PasskeyException 404 when the user has no such passkey
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 when the caller authenticated too long ago
     */
    public Passkey confirmNotCloned(AuthenticatedUser caller, String passkeyId, RequestOrigin origin) {
        recent.require(caller, recentWindow);
        Passkey passkey = own(caller.userId(), passkeyId);
        if (!passkey.suspectedClone()) {
            return passkey;
        }
        User user = users.findById(caller.userId()).orElseThrow(PasskeyException::notFound);
        return passkeys.updateCloneState(passkey.cloneConfirmed(), audit.event(PasskeyAudit.CLONE_CONFIRMED, user,
                Optional.of(passkey.id()), Outcome.SUCCESS, Map.of(), origin));
    }

    /**
     * The user's passkeys, oldest first.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public List<Passkey> list(String userId) {
        return passkeys.findByUser(userId).stream().sorted(Comparator.comparing(Passkey::createdAt)
                .thenComparing(Passkey::id)).toList();
    }

    /**
     * Renames one of the user's passkeys.
     *
     * @throws PasskeyException 400 for a bad nickname; 404 when the user has no such passkey
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public Passkey rename(String userId, String passkeyId, String nickname, RequestOrigin origin) {
        String name = PasskeyNickname.of(nickname);
        Passkey passkey = own(userId, passkeyId);
        User user = users.findById(userId).orElseThrow(PasskeyException::notFound);
        return passkeys.rename(passkey, name, audit.event(PasskeyAudit.RENAMED, user, Optional.of(passkey.id()),
                Outcome.SUCCESS, Map.of(), origin));
    }

    /**
     * Deletes one of the user's passkeys.
     *
     * @throws PasskeyException 404 when the user has no such passkey; 409 when it is the last passkey of an
     *     account without a password
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public void delete(String userId, String passkeyId, RequestOrigin origin) {
        if (passkeyId == null || !Passkey.ID.matcher(passkeyId).matches()) {
            throw PasskeyException.notFound();
        }
        List<Passkey> all = passkeys.findByUser(userId);
        Passkey passkey = find(all, passkeyId);
        User user = users.findById(userId).orElseThrow(PasskeyException::notFound);
        if (all.size() == 1 && !user.hasPassword()) {
            throw PasskeyException.lastSignInMethod();
        }
        // Without a password, another passkey must still exist when the delete commits (parallel deletes).
        Optional<Passkey> mustRemain = user.hasPassword() ? Optional.empty()
                : all.stream().filter(other -> !other.id().equals(passkey.id())).findFirst();
        passkeys.delete(passkey, mustRemain, audit.event(PasskeyAudit.REMOVED, user, Optional.of(passkey.id()),
                Outcome.SUCCESS, Map.of("remaining", Integer.toString(all.size() - 1)), origin));
    }

    /**
     * Issue 20 §3: removes every passkey of {@code user} added at or after {@code since} — what a password reset
     * offers, so a passkey planted with a stolen session does not outlive the reset. Each is deleted with its own
     * {@code passkey.removed} event (details {@code reason password_reset}, {@code added_since}, {@code remaining}) in
     * the same transaction. No last-passkey rule: the caller has just set a password. A passkey already gone
     * (a parallel delete) is not counted.
     *
     * @param user the account, as the caller read it
     * @param since the earliest creation time removed (inclusive)
     * @return how many passkeys were removed
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (those removed stay removed)
     */
    public int removeAddedSince(User user, Instant since, RequestOrigin origin) {
        Objects.requireNonNull(since, "since");
        List<Passkey> all = passkeys.findByUser(user.id());
        List<Passkey> newer = all.stream().filter(passkey -> !passkey.createdAt().isBefore(since))
                .sorted(Comparator.comparing(Passkey::createdAt).thenComparing(Passkey::id)).toList();
        int removed = 0;
        for (Passkey passkey : newer) {
            try {
                passkeys.delete(passkey, audit.event(PasskeyAudit.REMOVED, user, Optional.of(passkey.id()),
                        Outcome.SUCCESS, Map.of("reason", "password_reset", "added_since", since.toString(),
                                "remaining", Integer.toString(all.size() - removed - 1)), origin));
                removed++;
            } catch (PasskeyException e) {
                if (!PasskeyException.notFound().reason().equals(e.reason())) {
                    throw e;
                }
                // Gone meanwhile (a parallel delete): nothing left to remove.
            }
        }
        return removed;
    }

    private Passkey own(String userId, String passkeyId) {
        if (passkeyId == null || !Passkey.ID.matcher(passkeyId).matches()) {
            throw PasskeyException.notFound();
        }
        return find(passkeys.findByUser(userId), passkeyId);
    }

    private static Passkey find(List<Passkey> all, String passkeyId) {
        return all.stream().filter(passkey -> passkey.id().equals(passkeyId)).findFirst()
                .orElseThrow(PasskeyException::notFound);
    }
}
