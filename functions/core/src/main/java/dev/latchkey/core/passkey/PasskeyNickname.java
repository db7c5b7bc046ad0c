package dev.latchkey.core.passkey;

import dev.latchkey.core.text.DisplayName;
import java.util.Optional;

/** The rules of a passkey's nickname: the one {@link DisplayName} rule, at most {@value #MAX_LENGTH} code points. */
public final class PasskeyNickname {

    /** Longest nickname, in code points. */
    public static final int MAX_LENGTH = 64;
    /** The nickname of a passkey registered without one. */
    public static final String DEFAULT = "Passkey";

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
        String normalized = DisplayName.normalize(value);
        if (DisplayName.problem(normalized, MAX_LENGTH).isPresent()) {
            throw PasskeyException.invalid("nickname", "INVALID_NICKNAME", "Nickname must be 1-" + MAX_LENGTH
                    + " characters without control, invisible or bidirectional formatting characters.");
        }
        return normalized;
    }
}
