package dev.latchkey.core.org;

import java.text.Normalizer;

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
        if (name == null) {
            throw OrgException.invalid("name", "REQUIRED", "Field 'name' is required.");
        }
        String value = Normalizer.normalize(name, Normalizer.Form.NFC).strip();
        if (value.isEmpty()) {
            throw OrgException.invalid("name", "REQUIRED", "Field 'name' is required.");
        }
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            throw OrgException.invalid("name", "TOO_LONG", "Field 'name' has at most " + MAX_LENGTH + " characters.");
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                && c != 0x200D || c == 0x2028 || c == 0x2029)) {
            throw OrgException.invalid("name", "INVALID_CHARACTERS", "Field 'name' contains control characters.");
        }
        return value;
    }
}
