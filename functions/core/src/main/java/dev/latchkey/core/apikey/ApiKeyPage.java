package dev.latchkey.core.apikey;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of keys.
 *
 * @param keys newest first
 * @param nextCursor present when there may be more
 */
public record ApiKeyPage(List<ApiKey> keys, Optional<String> nextCursor) {

    /** Copies the list. */
    public ApiKeyPage {
        keys = List.copyOf(keys);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
