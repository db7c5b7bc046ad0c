package dev.latchkey.core.text;

import java.text.Normalizer;
import java.util.Optional;

/**
 * The one rule for names people give things (organizations, teams, resources, service clients): Unicode NFC,
 * stripped, 1 to a maximum of code points, and no control, format (except the zero-width joiner that emoji need)
 * or line/paragraph separator characters — so a name can be shown in a list, a log-free audit view or a mail
 * without hiding text or breaking lines.
 */
public final class DisplayName {

    /** Why a name is refused: the {@code details.reason} of the 400. */
    public enum Problem {
        /** Missing or blank. */
        REQUIRED,
        /** Longer than allowed. */
        TOO_LONG,
        /** Holds a control, format or separator character. */
        INVALID_CHARACTERS
    }

    private static final int ZERO_WIDTH_JOINER = 0x200D;

    private DisplayName() {
    }

    /** The name as it would be stored: NFC, stripped; {@code ""} for {@code null}. */
    public static String normalize(String name) {
        return name == null ? "" : Normalizer.normalize(name, Normalizer.Form.NFC).strip();
    }

    /** What is wrong with a {@linkplain #normalize normalized} name, if anything. */
    public static Optional<Problem> problem(String normalized, int maxLength) {
        if (normalized.isEmpty()) {
            return Optional.of(Problem.REQUIRED);
        }
        if (normalized.codePointCount(0, normalized.length()) > maxLength) {
            return Optional.of(Problem.TOO_LONG);
        }
        if (normalized.codePoints().anyMatch(DisplayName::forbidden)) {
            return Optional.of(Problem.INVALID_CHARACTERS);
        }
        return Optional.empty();
    }

    /** The standard message of a problem with the field {@code name}. */
    public static String message(Problem problem, int maxLength) {
        switch (problem) {
            case REQUIRED:
                return "Field 'name' is required.";
            case TOO_LONG:
                return "Field 'name' has at most " + maxLength + " characters.";
            default:
                return "Field 'name' contains control characters.";
        }
    }

    private static boolean forbidden(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT && c != ZERO_WIDTH_JOINER
                || c == 0x2028 || c == 0x2029;
    }
}
