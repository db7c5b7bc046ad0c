package dev.latchkey.core.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A client just created, with its first secret if one was asked for.
 *
 * @param client as stored
 * @param secret the first secret, shown once
 */
public record CreatedClient(ServiceClient client, Optional<CreatedClientSecret> secret) {

    /** Checks presence. */
    public CreatedClient {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(secret, "secret");
    }
}
