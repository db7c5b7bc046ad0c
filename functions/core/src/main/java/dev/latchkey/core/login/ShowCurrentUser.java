package dev.latchkey.core.login;

import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.token.InvalidTokenException;
import java.util.Objects;

/** {@code GET /v1/users/me} (API.md "login"): the caller's account and memberships. */
public final class ShowCurrentUser {

    private final UserRepository users;

    /** @param users the accounts */
    public ShowCurrentUser(UserRepository users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    /**
     * The caller's account (a strongly consistent read) and memberships (the {@code gsi1} index).
     *
     * @throws InvalidTokenException 401 when the token's user no longer exists
     * @throws dev.latchkey.core.store.StoreUnavailableException 503 when the store cannot answer
     */
    public CurrentUser show(AuthenticatedUser caller) {
        var user = users.findById(caller.userId())
                .orElseThrow(() -> new InvalidTokenException(InvalidTokenException.Reason.INVALID_CLAIM));
        return new CurrentUser(user, users.memberships(user.id()));
    }
}
