package dev.latchkey.core.sso;

import java.util.Optional;

/** Looks applications up by {@code client_id} for the hosted pages (an adapter over the applications port). */
@FunctionalInterface
public interface RelyingParties {

    /**
     * The application with this {@code client_id}, or empty when none is registered (or it is disabled).
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    Optional<RelyingParty> find(String clientId);
}
