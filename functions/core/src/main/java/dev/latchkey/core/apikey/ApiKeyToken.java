package dev.latchkey.core.apikey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The API key a caller presents, in the spirit of GitHub's token format (github.blog, "Behind
 * GitHub's new authentication token formats", 2021):
 *
 * <pre>lk_ + key id (26, Crockford base32) + secret (32, base62) + checksum (6, base62) = 67 characters</pre>
 *
 * <ul>
 *   <li>{@code lk_} makes a leaked key recognizable to secret scanners and to people;</li>
 *   <li>only {@code [A-Za-z0-9_]}, so a double-click selects the whole key;</li>
 *   <li>the key id ({@code key_} + the same 26 characters) lets verification find the key with one
 *       {@code GetItem};</li>
 *   <li>the secret is 32 base62 characters from a CSPRNG, log2(62^32) ≈ 190 bits (≥ 128 required);</li>
 *   <li>the checksum is the CRC32 of everything before it, base62, zero-padded: a mistyped, truncated
 *       or made-up key is refused by {@link #parse} without any I/O. It is not a MAC — anyone can
 *       compute it — so it only saves a read; the keyed hash decides.</li>
 * </ul>
 * {@link #toString()} never shows the secret; {@link #value()} is for the one response that hands the
 * key to its owner and for hashing.
 */
public final class ApiKeyToken {

    /** What every key starts with. */
    public static final String PREFIX = "lk_";
    /** Characters of the key id's ULID part. */
    public static final int ID_LENGTH = 26;
    /** Characters of the secret. */
    public static final int SECRET_LENGTH = 32;
    /** Characters of the checksum. */
    public static final int CHECKSUM_LENGTH = 6;
    /** The whole key's length. */
    public static final int LENGTH = PREFIX.length() + ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;

    private static final String KEY_ID_PREFIX = "key_";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private final String value;

    private ApiKeyToken(String value) {
        this.value = value;
    }

    /**
     * A new key for the key id.
     *
     * @param keyId {@code key_} + 26 Crockford base32 characters
     * @param random a CSPRNG
     */
    public static ApiKeyToken generate(String keyId, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        if (!isKeyId(keyId)) {
            throw new IllegalArgumentException("not a key id");
        }
        StringBuilder key = new StringBuilder(LENGTH).append(PREFIX).append(keyId, KEY_ID_PREFIX.length(),
                keyId.length());
        for (int i = 0; i < SECRET_LENGTH; i++) {
            key.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        key.append(checksum(key));
        return new ApiKeyToken(key.toString());
    }

    /**
     * Reads a presented key without any I/O: length, prefix, alphabets and checksum.
     *
     * @return empty for anything that is not a well-formed Latchkey key
     */
    public static Optional<ApiKeyToken> parse(String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int secretStart = PREFIX.length() + ID_LENGTH;
        int checksumStart = secretStart + SECRET_LENGTH;
        for (int i = PREFIX.length(); i < secretStart; i++) {
            if (CROCKFORD.indexOf(text.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        for (int i = secretStart; i < LENGTH; i++) {
            if (BASE62.indexOf(text.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String expected = checksum(text.subSequence(0, checksumStart));
        return expected.equals(text.substring(checksumStart)) ? Optional.of(new ApiKeyToken(text)) : Optional.empty();
    }

    /** Whether the text is a key id ({@code key_} + 26 Crockford base32 characters). */
    public static boolean isKeyId(String text) {
        if (text == null || text.length() != KEY_ID_PREFIX.length() + ID_LENGTH || !text.startsWith(KEY_ID_PREFIX)) {
            return false;
        }
        for (int i = KEY_ID_PREFIX.length(); i < text.length(); i++) {
            if (CROCKFORD.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the text looks like a Latchkey key at all (its prefix), for refusing keys in URLs. */
    public static boolean looksLikeKey(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    /** The key id this key belongs to; not secret. */
    public String keyId() {
        return KEY_ID_PREFIX + value.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
    }

    /** The whole key. Secret: hash it or give it to its owner once, nothing else. */
    public String value() {
        return value;
    }

    /** The bytes that are hashed. */
    byte[] bytes() {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    static String checksum(CharSequence text) {
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        long remaining = crc.getValue();
        char[] digits = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (remaining % 62));
            remaining /= 62;
        }
        return new String(digits);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKeyToken token && token.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The key id only; never the secret. */
    @Override
    public String toString() {
        return "ApiKeyToken[" + keyId() + ", <redacted>]";
    }
}
