package dev.latchkey.core.apikey;

import dev.latchkey.core.principal.Permissions;
import java.util.Objects;
import java.util.Optional;

/**
 * A page request for an organization's keys, newest first.
 *
 * @param includeRevoked whether revoked keys are listed too (expired ones always are)
 * @param permission only keys holding this permission
 * @param limit page size, 1–{@value #MAX_LIMIT}
 * @param cursor where the previous page ended (opaque, from {@link ApiKeyPage#nextCursor()})
 */
public record ApiKeyQuery(boolean includeRevoked, Optional<String> permission, int limit, Optional<String> cursor) {

    /** The default page size. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page. */
    public static final int MAX_LIMIT = 100;

    /**
     * Validates.
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} for a bad limit or permission
     */
    public ApiKeyQuery {
        Objects.requireNonNull(permission, "permission");
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiKeyException.invalid("limit", "OUT_OF_RANGE", "Query 'limit' is 1 to " + MAX_LIMIT + ".");
        }
        if (permission.isPresent() && !Permissions.isValid(permission.get())) {
            throw ApiKeyException.invalid("permission", "INVALID_FORMAT", "Query 'permission' is not a permission.");
        }
    }

    /** Every key, revoked ones included, in pages of the largest size. */
    public static ApiKeyQuery everything(Optional<String> cursor) {
        return new ApiKeyQuery(true, Optional.empty(), MAX_LIMIT, cursor);
    }
}
