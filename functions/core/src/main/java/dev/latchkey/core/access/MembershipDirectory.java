package dev.latchkey.core.access;

import java.util.Optional;

/** Who belongs to which organization, with which role (the membership items). */
public interface MembershipDirectory {

    /**
     * The user's role in the organization, read strongly consistently so that a removal or demotion
     * counts on the next request.
     *
     * @return empty when the user is no member (or the organization does not exist)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<Role> role(String organizationId, String userId);

    /**
     * The user's role and the organization's {@code require_mfa}, read strongly consistently in one request (the
     * membership and the organization item), for an authorization decision ({@link Authorizer},
     * {@code resource.GrantedScopes}).
     *
     * @return empty when the user is no member (or the organization does not exist)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<Membership> membership(String organizationId, String userId);
}
