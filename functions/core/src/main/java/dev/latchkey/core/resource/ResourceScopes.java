package dev.latchkey.core.resource;

import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.text.DisplayName;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules for a resource's scope list and its name. */
public final class ResourceScopes {

    /** The most scopes one resource defines. */
    public static final int MAX_SCOPES = 100;
    /** Longest resource name. */
    public static final int MAX_NAME = 100;

    private ResourceScopes() {
    }

    /**
     * A resource's scopes, in the given order: each {@link Permissions#isValid} (so never {@code lk_…}), never a
     * Latchkey permission (a resource token must not be able to manage the organization), no duplicates, at most
     * {@value #MAX_SCOPES}; may be empty.
     *
     * @param field the field to name in errors
     * @throws ResourceException {@code VALIDATION_ERROR} naming the first bad entry
     */
    public static List<String> checked(String field, List<String> scopes) {
        if (scopes == null) {
            throw ResourceException.invalid(field, "REQUIRED", "Field '" + field + "' is required.");
        }
        if (scopes.size() > MAX_SCOPES) {
            throw ResourceException.invalid(field, "TOO_MANY", "At most " + MAX_SCOPES + " scopes.");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            String at = field + "[" + i + "]";
            if (!Permissions.isValid(scope)) {
                throw ResourceException.invalid(at, "INVALID_FORMAT", "Scopes match " + Permissions.PATTERN.pattern()
                        + ".");
            }
            if (Permissions.isLatchkey(scope)) {
                throw ResourceException.invalid(at, "RESERVED", "A Latchkey permission cannot be a resource scope.");
            }
            if (!seen.add(scope)) {
                throw ResourceException.invalid(at, "DUPLICATE", "Scopes are listed once.");
            }
        }
        return List.copyOf(scopes);
    }

    /**
     * A resource name: stripped, 1–{@value #MAX_NAME} characters, no control characters.
     *
     * @throws ResourceException {@code VALIDATION_ERROR} on field {@code name}
     */
    public static String name(String text) {
        String value = DisplayName.normalize(text);
        DisplayName.problem(value, MAX_NAME).ifPresent(problem -> {
            throw ResourceException.invalid("name", problem.name(), DisplayName.message(problem, MAX_NAME));
        });
        return value;
    }
}
