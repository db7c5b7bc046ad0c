package dev.latchkey.core.session;

import java.util.Optional;

/**
 * Looks up the user a refresh answers for (the token response carries {@code user:{id,email,name}}).
 * A user that no longer exists cannot refresh.
 */
@FunctionalInterface
public interface UserProfiles {

    /**
     * The user's profile, or empty when there is no such user.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<UserProfile> find(String userId);
}
