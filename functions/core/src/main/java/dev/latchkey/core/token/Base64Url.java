package dev.latchkey.core.token;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict base64url without padding (RFC 7515 §2, RFC 4648 §5). The JDK decoder alone also accepts
 * padding and non-canonical trailing bits, so two different strings could carry the same bytes;
 * here only the one canonical spelling of each byte string decodes.
 */
public final class Base64Url {

    private static final Pattern ALPHABET = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Base64Url() {
    }

    /** Unpadded base64url of {@code bytes}. */
    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** The bytes, or empty when {@code text} is not canonical unpadded base64url. */
    public static Optional<byte[]> decode(String text) {
        if (text == null || text.length() % 4 == 1 || !ALPHABET.matcher(text).matches()) {
            return Optional.empty();
        }
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        return ENCODER.encodeToString(bytes).equals(text) ? Optional.of(bytes) : Optional.empty();
    }
}
