package dev.latchkey.core.team;

import java.util.Set;

/** Which teams of an organization a user is in: what {@link dev.latchkey.core.resource.GrantedScopes} needs. */
public interface TeamMemberships {

    /**
     * The ids of the user's teams in the organization, read strongly consistently so that a removal from a team
     * counts on the next token request.
     *
     * @return empty when the user is in no team there
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Set<String> teamIds(String organizationId, String userId);
}
