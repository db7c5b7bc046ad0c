package dev.latchkey.core.client;

import java.util.Optional;

/**
 * Service clients and their credentials. {@link #find} is what the token endpoint needs: one strongly consistent
 * read of the client with every credential, so a revoked secret or key fails at once.
 */
public interface ClientRepository {

    /**
     * The client with every credential, revoked ones included.
     *
     * @return empty when there is no such client (or the id is malformed)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<ServiceClient> find(String clientId);
}
