package dev.latchkey.core.id;

import java.util.regex.Pattern;

/** Checks the shape of ids made by {@link IdGenerator}: {@code <prefix>_} and 26 Crockford base32 characters. */
public final class Ids {

    private static final Pattern BODY = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

    private Ids() {
    }

    /** Whether {@code text} is a well-formed id of this kind (never throws, {@code null} is no id). */
    public static boolean matches(IdPrefix prefix, String text) {
        String start = prefix.text() + "_";
        return text != null && text.length() == start.length() + 26 && text.startsWith(start)
                && BODY.matcher(text.substring(start.length())).matches();
    }
}
