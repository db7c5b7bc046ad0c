package dev.latchkey.core.login;

import dev.latchkey.core.account.Membership;
import dev.latchkey.core.account.User;
import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /v1/users/me} shows: the caller's account and memberships.
 *
 * @param user the account (the response never shows its password hash)
 * @param memberships the organizations the user belongs to
 */
public record CurrentUser(User user, List<Membership> memberships) {

    /** Checks nothing is missing. */
    public CurrentUser {
        Objects.requireNonNull(user, "user");
        memberships = List.copyOf(memberships);
    }
}
