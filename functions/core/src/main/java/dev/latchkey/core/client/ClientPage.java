package dev.latchkey.core.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an organization's clients. The listing reads the client items only: each client's
 * {@link ServiceClient#secrets()} and {@link ServiceClient#keys()} are empty here ({@link ClientRepository#find}
 * reads them).
 *
 * @param clients newest first
 * @param nextCursor present when there may be more
 */
public record ClientPage(List<ServiceClient> clients, Optional<String> nextCursor) {

    /** Copies the list. */
    public ClientPage {
        clients = List.copyOf(clients);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
