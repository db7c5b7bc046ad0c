package dev.latchkey.core.client;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The text of a client secret: {@code lkcs_} + 43 base64url characters (32 bytes from a CSPRNG, 256 bits, no
 * padding). The prefix makes a leaked secret recognizable to secret scanners and people; the base64url alphabet
 * keeps it safe in a form body without escaping. Only its keyed hash is stored ({@link ClientSecretHasher}); the
 * text is shown once, when it is created.
 */
public final class ClientSecretValue {

    /** What every client secret starts with. */
    public static final String PREFIX = "lkcs_";
    /** Random bytes in a secret. */
    public static final int RANDOM_BYTES = 32;
    /** Characters after the prefix: 32 bytes as unpadded base64url. */
    public static final int BODY_LENGTH = 43;
    /** The whole secret's length. */
    public static final int LENGTH = PREFIX.length() + BODY_LENGTH;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ClientSecretValue() {
    }

    /** A new secret. Secret: hash it, hand it to its owner once, never log it. */
    public static String generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return PREFIX + ENCODER.encodeToString(bytes);
    }

    /**
     * Whether the text has the shape of a Latchkey client secret: the prefix and 43 characters that are the one
     * canonical base64url spelling of 32 bytes. Needs no I/O; the keyed hash decides whether it is a real one.
     */
    public static boolean wellFormed(String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            char c = text.charAt(i);
            boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!base64url) {
                return false;
            }
        }
        String body = text.substring(PREFIX.length());
        return ENCODER.encodeToString(Base64.getUrlDecoder().decode(body)).equals(body);
    }
}
