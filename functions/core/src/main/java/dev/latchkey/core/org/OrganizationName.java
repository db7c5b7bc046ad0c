package dev.latchkey.core.org;

import dev.latchkey.core.text.DisplayName;

/** The rules of an organization's display name: NFC, stripped, 1–{@value #MAX_LENGTH} code points, no controls. */
public final class OrganizationName {

    /** Longest name, in code points. */
    public static final int MAX_LENGTH = 100;

    private OrganizationName() {
    }

    /**
     * The name as stored.
     *
     * @throws OrgException 400 for a missing, blank, too long name or one with control characters (the message
     *     never echoes it)
     */
    public static String normalize(String name) {
        String value = DisplayName.normalize(name);
        DisplayName.problem(value, MAX_LENGTH).ifPresent(problem -> {
            throw OrgException.invalid("name", problem.name(), DisplayName.message(problem, MAX_LENGTH));
        });
        return value;
    }
}
