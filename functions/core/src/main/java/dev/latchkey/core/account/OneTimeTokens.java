package dev.latchkey.core.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What every single-use token sent by mail shares (verification {@code lkv_}, reset {@code lkp_}):
 * a recognizable prefix and 256 random bits in base64url (no padding), checked for shape without
 * I/O, stored only as a SHA-256 — full entropy needs no slow hash, and a leaked table holds nothing
 * usable. Each kind keeps its own type, so one kind can never be passed where another is expected.
 */
public final class OneTimeTokens {

    /** Random bytes per token. */
    public static final int RANDOM_BYTES = 32;

    private OneTimeTokens() {
    }

    /** A fresh token text from the CSPRNG. */
    public static String generate(String prefix, SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a client's value has the shape of a token with this prefix (null: no). */
    public static boolean wellFormed(String prefix, String value) {
        return value != null && Pattern.matches(Pattern.quote(prefix) + "[A-Za-z0-9_-]{43}", value);
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes: the stored lookup key. */
    public static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Constant-time comparison of two token texts. */
    public static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
