package dev.latchkey.core.client;

import dev.latchkey.core.text.DisplayName;
import dev.latchkey.core.id.IdPrefix;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The field rules shared by the client commands: names, resource ids, ids of each kind. */
public final class ClientCommands {

    /** Longest client name, in code points. */
    public static final int MAX_NAME_LENGTH = 100;
    /** Most allowed resources of one client (each is a condition in the write's transaction). */
    public static final int MAX_ALLOWED_RESOURCES = 50;

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int ULID_LENGTH = 26;

    private ClientCommands() {
    }

    /**
     * A name as stored: NFC, stripped, 1–{@value #MAX_NAME_LENGTH} code points, no control characters.
     *
     * @throws ClientException 400 (the message never echoes it)
     */
    public static String name(String name) {
        String value = DisplayName.normalize(name);
        DisplayName.problem(value, MAX_NAME_LENGTH).ifPresent(problem -> {
            throw ClientException.invalid("name", problem.name(), DisplayName.message(problem, MAX_NAME_LENGTH));
        });
        return value;
    }

    /**
     * Allowed resources as stored: {@code res_…} ids, no duplicates, at most {@value #MAX_ALLOWED_RESOURCES}.
     * Whether each is a resource of the organization is checked by the store, in the write.
     *
     * @throws ClientException 400
     */
    public static List<String> allowedResources(List<String> resources) {
        if (resources == null) {
            throw ClientException.invalid("allowed_resources", "REQUIRED", "Field 'allowed_resources' is required.");
        }
        if (resources.size() > MAX_ALLOWED_RESOURCES) {
            throw ClientException.invalid("allowed_resources", "TOO_MANY", "Field 'allowed_resources' has at most "
                    + MAX_ALLOWED_RESOURCES + " entries.");
        }
        Set<String> seen = new HashSet<>();
        for (String resource : resources) {
            if (!isId(IdPrefix.RESOURCE, resource)) {
                throw ClientException.invalid("allowed_resources", "INVALID_FORMAT",
                        "Field 'allowed_resources' holds resource ids (res_…).");
            }
            if (!seen.add(resource)) {
                throw ClientException.invalid("allowed_resources", "DUPLICATE",
                        "Field 'allowed_resources' names a resource twice.");
            }
        }
        return List.copyOf(resources);
    }

    /** Whether {@code text} is an id of this kind: the prefix, {@code _} and 26 Crockford base32 characters. */
    public static boolean isId(IdPrefix prefix, String text) {
        String start = prefix.text() + "_";
        if (text == null || text.length() != start.length() + ULID_LENGTH || !text.startsWith(start)) {
            return false;
        }
        for (int i = start.length(); i < text.length(); i++) {
            if (CROCKFORD.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
