package dev.latchkey.core.session;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up the user a refresh answers for (the token response carries {@code user:{id,email,name}}).
 * A user that no longer exists, or that an operator disabled, cannot refresh.
 */
@FunctionalInterface
public interface UserProfiles {

    /**
     * The user's profile, or empty when there is no such user or the account is disabled.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<UserProfile> find(String userId);

    /**
     * The profiles of several users at once (a member list's names), keyed by user id; users without a profile are
     * missing from the map. This default reads them one by one; the DynamoDB adapter batches.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    default Map<String, UserProfile> findAll(Collection<String> userIds) {
        Map<String, UserProfile> found = new LinkedHashMap<>();
        for (String userId : new LinkedHashSet<>(userIds)) {
            find(userId).ifPresent(profile -> found.put(userId, profile));
        }
        return found;
    }
}
