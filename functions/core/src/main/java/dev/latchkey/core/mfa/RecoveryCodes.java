package dev.latchkey.core.mfa;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recovery codes (NIST SP 800-63B §5.1.2 look-up secrets): {@value #COUNT} single-use codes of 10 base32
 * characters (50 random bits) shown as {@code xxxxx-xxxxx}, shown once, stored only as
 * {@code HMAC-SHA256(TOTP secret, "latchkey-recovery-code:" + code)}. Keying the hash with the user's sealed TOTP
 * secret means a copy of the table alone cannot test guesses offline (the key is in the vault); online guessing
 * goes through the same throttle as TOTP codes. Codes are bound to the secret they were issued with: a new
 * enrolment issues new codes.
 */
public final class RecoveryCodes {

    /** How many codes a user gets. */
    public static final int COUNT = 10;

    private static final int LENGTH = 10;
    private static final Pattern NORMALIZED = Pattern.compile("[a-z2-7]{" + LENGTH + "}");

    private RecoveryCodes() {
    }

    /** {@value #COUNT} new codes, formatted {@code xxxxx-xxxxx}. */
    public static List<String> generate(SecureRandom random) {
        List<String> codes = new ArrayList<>(COUNT);
        String alphabet = Base32.ALPHABET.toLowerCase(Locale.ROOT);
        for (int i = 0; i < COUNT; i++) {
            StringBuilder code = new StringBuilder(LENGTH + 1);
            for (int c = 0; c < LENGTH; c++) {
                if (c == LENGTH / 2) {
                    code.append('-');
                }
                code.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /** The code as typed, lower-cased without dashes or spaces; empty when it cannot be a recovery code. */
    public static Optional<String> normalize(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String normalized = typed.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
        return NORMALIZED.matcher(normalized).matches() ? Optional.of(normalized) : Optional.empty();
    }

    /** The stored hash of a normalized code under a user's TOTP secret. */
    public static String hash(byte[] secret, String normalizedCode) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("latchkey-recovery-code:" + normalizedCode)
                    .getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The hashes of formatted codes. */
    public static List<String> hashes(byte[] secret, List<String> codes) {
        return codes.stream().map(code -> hash(secret, normalize(code).orElseThrow())).toList();
    }
}
