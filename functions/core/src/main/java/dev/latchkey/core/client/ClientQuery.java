package dev.latchkey.core.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A page request for an organization's clients, newest first.
 *
 * @param limit page size, 1–{@value #MAX_LIMIT}
 * @param cursor where the previous page ended (opaque, from {@link ClientPage#nextCursor()})
 */
public record ClientQuery(int limit, Optional<String> cursor) {

    /** The default page size. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page. */
    public static final int MAX_LIMIT = 100;

    /**
     * Validates.
     *
     * @throws ClientException {@code VALIDATION_ERROR} for a bad limit
     */
    public ClientQuery {
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ClientException.invalid("limit", "OUT_OF_RANGE", "Query 'limit' is 1 to " + MAX_LIMIT + ".");
        }
    }
}
