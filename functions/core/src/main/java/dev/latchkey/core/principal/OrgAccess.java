package dev.latchkey.core.principal;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A caller authorized for one permission in one organization, with everything it holds there.
 *
 * @param organizationId the organization from the request path (never from a body)
 * @param caller who
 * @param held the caller's permissions in it: the role's, or the key's (the organization's own scopes
 *     included)
 */
public record OrgAccess(String organizationId, Caller caller, Set<String> held) {

    /** Copies the set. */
    public OrgAccess {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(caller, "caller");
        held = Set.copyOf(held);
    }

    /**
     * Refuses to hand out what the caller does not hold (ARCHITECTURE.md §6: "a caller can never grant
     * a permission it lacks"). A user grants any of the organization's own scopes (the organization's
     * owners and admins define them) but only the Latchkey permissions of their role; an API key grants
     * only permissions it carries itself, of both kinds.
     *
     * @throws AccessException 403 {@code PERMISSION_DENIED} listing the permissions it may not grant
     */
    public void requireCanGrant(List<String> permissions) {
        List<String> missing = permissions.stream()
                .filter(p -> !held.contains(p) && (caller instanceof Caller.ApiKey || Permissions.isLatchkey(p)))
                .toList();
        if (!missing.isEmpty()) {
            throw AccessException.cannotGrant(missing);
        }
    }
}
