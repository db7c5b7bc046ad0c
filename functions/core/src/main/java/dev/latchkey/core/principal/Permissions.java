package dev.latchkey.core.principal;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Permission strings (API.md "api-keys"): {@code ^[a-z][a-z0-9_.:-]{0,63}$}. Two kinds share one
 * namespace: Latchkey's own ({@link #LATCHKEY}, which let a caller manage an organization through
 * this API) and an organization's scopes for its own services ({@code read_models},
 * {@code run_inference}), which Latchkey carries but never interprets.
 */
public final class Permissions {

    /**
     * What one permission looks like: {@code ^[a-z][a-z0-9_.:-]{0,63}$}, except that {@code lk_…} is
     * reserved (it is an API key's prefix; keys are refused wherever they could leak, such as a query
     * string, so a permission must never look like one).
     */
    public static final Pattern PATTERN = Pattern.compile("(?!lk_)[a-z][a-z0-9_.:-]{0,63}");

    /** The most permissions one key may carry. */
    public static final int MAX_PER_KEY = 50;

    public static final String ORG_READ = "org:read";
    public static final String ORG_UPDATE = "org:update";
    public static final String ORG_DELETE = "org:delete";
    public static final String MEMBER_READ = "member:read";
    public static final String MEMBER_INVITE = "member:invite";
    public static final String MEMBER_REMOVE = "member:remove";
    public static final String MEMBER_ROLE_UPDATE = "member:role:update";
    public static final String API_KEY_READ = "api_key:read";
    public static final String API_KEY_CREATE = "api_key:create";
    public static final String API_KEY_REVOKE = "api_key:revoke";
    public static final String API_KEY_DELETE = "api_key:delete";
    public static final String CLIENT_READ = "client:read";
    public static final String CLIENT_CREATE = "client:create";
    public static final String CLIENT_DELETE = "client:delete";
    public static final String AUDIT_LOG_VIEW = "audit_log:view";
    public static final String TEAM_READ = "team:read";
    public static final String TEAM_MANAGE = "team:manage";
    public static final String RESOURCE_READ = "resource:read";
    public static final String RESOURCE_MANAGE = "resource:manage";

    /** Every permission Latchkey itself checks (ARCHITECTURE.md §6, plus the team and resource ones of issue #6). */
    public static final Set<String> LATCHKEY = Set.of(ORG_READ, ORG_UPDATE, ORG_DELETE, MEMBER_READ, MEMBER_INVITE,
            MEMBER_REMOVE, MEMBER_ROLE_UPDATE, API_KEY_READ, API_KEY_CREATE, API_KEY_REVOKE, API_KEY_DELETE,
            CLIENT_READ, CLIENT_CREATE, CLIENT_DELETE, AUDIT_LOG_VIEW, TEAM_READ, TEAM_MANAGE, RESOURCE_READ,
            RESOURCE_MANAGE);

    private Permissions() {
    }

    /** Whether Latchkey itself checks this permission. */
    public static boolean isLatchkey(String permission) {
        return LATCHKEY.contains(permission);
    }

    /** Whether the text is a well-formed permission. */
    public static boolean isValid(String permission) {
        return permission != null && PATTERN.matcher(permission).matches();
    }

    /**
     * A key's permission list: validated, without duplicates, sorted (so equal sets print alike).
     *
     * @throws AccessException {@code VALIDATION_ERROR} naming the first bad entry's index, for a null or
     *     malformed entry or more than {@value #MAX_PER_KEY}
     */
    public static List<String> normalize(Collection<String> permissions) {
        if (permissions == null) {
            throw AccessException.invalid("permissions", "REQUIRED", "Field 'permissions' is required.");
        }
        TreeSet<String> sorted = new TreeSet<>();
        int index = 0;
        for (String permission : permissions) {
            if (!isValid(permission)) {
                throw AccessException.invalid("permissions[" + index + "]", "INVALID_FORMAT",
                        "Permissions match " + PATTERN.pattern() + ".");
            }
            sorted.add(permission);
            index++;
        }
        if (sorted.size() > MAX_PER_KEY) {
            throw AccessException.invalid("permissions", "TOO_MANY",
                    "A key carries at most " + MAX_PER_KEY + " permissions.");
        }
        return List.copyOf(sorted);
    }
}
