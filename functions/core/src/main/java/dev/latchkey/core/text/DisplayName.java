package dev.latchkey.core.text;

import java.text.Normalizer;
import java.util.Optional;

/**
 * The one rule for every name a person gives something and others are shown: user display names, API-key names
 * and descriptions, passkey nicknames, organization, team, resource and service-client names. Unicode NFC,
 * stripped, 1 to a maximum of code points, and nothing that can hide or reorder text (issue 11 §4, Unicode
 * UTS #39 §3.1 and UTR #36 §2.1 on invisible and bidirectional characters):
 * <ul>
 *   <li>no control characters (Cc: C0, DEL, C1), line or paragraph separators (Zl, Zp), unpaired surrogates
 *       (Cs) or the replacement character U+FFFD (what a lossy decoder leaves behind);</li>
 *   <li>no format characters (Cf): the bidirectional embeddings, overrides and isolates (U+202A–202E,
 *       U+2066–2069) and marks (U+200E, U+200F, U+061C), the zero-width space, non-joiner and word joiner, the
 *       byte-order mark U+FEFF, the soft hyphen, the interlinear annotations and the tag characters
 *       (U+E0000–E007F) — with one exception: the zero-width joiner U+200D <em>between two emoji</em>, which
 *       emoji sequences such as 👩‍💻 need;</li>
 *   <li>no other default-ignorable characters that render as nothing: U+034F, the Hangul fillers U+115F,
 *       U+1160, U+3164, U+FFA0, and U+17B4, U+17B5.</li>
 * </ul>
 * Variation selectors (emoji presentation) and combining marks stay allowed. A description may in addition hold
 * line feeds ({@link #problem(String, int, boolean)}). Scripts that need a zero-width joiner or non-joiner
 * inside words (Persian, some Indic conjuncts) cannot use it in a name: legibility for everyone else wins.
 */
public final class DisplayName {

    /** Why a name is refused: the {@code details.reason} of the 400. */
    public enum Problem {
        /** Missing or blank. */
        REQUIRED,
        /** Longer than allowed. */
        TOO_LONG,
        /** Holds a control, format, separator, invisible or replacement character. */
        INVALID_CHARACTERS
    }

    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final int VARIATION_SELECTOR_16 = 0xFE0F;

    private DisplayName() {
    }

    /** The name as it would be stored: NFC, stripped; {@code ""} for {@code null}. */
    public static String normalize(String name) {
        return name == null ? "" : Normalizer.normalize(name, Normalizer.Form.NFC).strip();
    }

    /** What is wrong with a {@linkplain #normalize normalized} one-line name, if anything. */
    public static Optional<Problem> problem(String normalized, int maxLength) {
        return problem(normalized, maxLength, false);
    }

    /**
     * What is wrong with a {@linkplain #normalize normalized} name or description, if anything.
     *
     * @param lineFeeds whether U+000A is allowed (descriptions); no other control character ever is
     */
    public static Optional<Problem> problem(String normalized, int maxLength, boolean lineFeeds) {
        if (normalized.isEmpty()) {
            return Optional.of(Problem.REQUIRED);
        }
        if (normalized.codePointCount(0, normalized.length()) > maxLength) {
            return Optional.of(Problem.TOO_LONG);
        }
        int[] codePoints = normalized.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            int c = codePoints[i];
            if (c == '\n' && lineFeeds) {
                continue;
            }
            if (c == ZERO_WIDTH_JOINER ? !joinsEmoji(codePoints, i) : forbidden(c)) {
                return Optional.of(Problem.INVALID_CHARACTERS);
            }
        }
        return Optional.empty();
    }

    /** The standard message of a problem with the field {@code name}. */
    public static String message(Problem problem, int maxLength) {
        return message("name", problem, maxLength);
    }

    /** The standard message of a problem with a field; it never holds the value. */
    public static String message(String field, Problem problem, int maxLength) {
        switch (problem) {
            case REQUIRED:
                return "Field '" + field + "' is required.";
            case TOO_LONG:
                return "Field '" + field + "' has at most " + maxLength + " characters.";
            default:
                return "Field '" + field + "' contains control, invisible or bidirectional formatting characters.";
        }
    }

    private static boolean forbidden(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || c >= 0xE0000 && c <= 0xE007F
                || c == 0xFFFD || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0
                || c == 0x17B4 || c == 0x17B5;
    }

    /** A zero-width joiner inside an emoji ZWJ sequence: an emoji (with its modifiers) before, an emoji after. */
    private static boolean joinsEmoji(int[] codePoints, int index) {
        if (index == 0 || index == codePoints.length - 1) {
            return false;
        }
        int before = codePoints[index - 1];
        int after = codePoints[index + 1];
        boolean skinTone = before >= 0x1F3FB && before <= 0x1F3FF;
        return (emoji(before) || before == VARIATION_SELECTOR_16 || skinTone) && emoji(after);
    }

    private static boolean emoji(int c) {
        return Character.getType(c) == Character.OTHER_SYMBOL;
    }
}
