package dev.latchkey.core.passkey;

import java.text.Normalizer;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rules of a passkey's nickname: trimmed, NFC, 1–{@value #MAX_LENGTH} code points, no control characters. */
public final class PasskeyNickname {

    /** Longest nickname, in code points. */
    public static final int MAX_LENGTH = 64;
    /** The nickname of a passkey registered without one. */
    public static final String DEFAULT = "Passkey";

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

    private PasskeyNickname() {
    }

    /**
     * The nickname as stored.
     *
     * @param value as typed, or empty for {@link #DEFAULT}
     * @throws PasskeyException 400 {@code VALIDATION_ERROR} (field {@code nickname}) for a blank, too long or
     *     control-character value
     */
    public static String of(Optional<String> value) {
        if (value.isEmpty()) {
            return DEFAULT;
        }
        return of(value.get());
    }

    /**
     * The nickname as stored.
     *
     * @throws PasskeyException 400 {@code VALIDATION_ERROR} (field {@code nickname}) when missing, blank, too long
     *     or holding a control character
     */
    public static String of(String value) {
        if (value == null) {
            throw PasskeyException.invalid("nickname", "REQUIRED", "Nickname is required.");
        }
        String normalized = Normalizer.normalize(value.strip(), Normalizer.Form.NFC);
        if (normalized.isEmpty() || normalized.codePointCount(0, normalized.length()) > MAX_LENGTH
                || CONTROL.matcher(normalized).find()) {
            throw PasskeyException.invalid("nickname", "INVALID_NICKNAME",
                    "Nickname must be 1-" + MAX_LENGTH + " characters without control characters.");
        }
        return normalized;
    }
}
