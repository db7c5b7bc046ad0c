package dev.latchkey.core.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules for an audit event's free-form details, built so that a secret or an email address
 * cannot go in by accident (OWASP ASVS 5.0 §16.2.5: logs hold no credentials or tokens).
 *
 * <ul>
 *   <li>at most {@value #MAX_ENTRIES} entries; keys {@code [a-z][a-z0-9_]{0,31}}; values at most
 *       {@value #MAX_VALUE_LENGTH} characters, no control characters (no log injection);</li>
 *   <li>a key named like a secret is refused: any key containing {@code password}, {@code passwd},
 *       {@code passphrase}, {@code token}, {@code secret}, {@code authorization}, {@code cookie},
 *       {@code credential}, {@code bearer}, {@code private}, {@code apikey} or {@code signature}, or with
 *       an underscore-separated word {@code key}, {@code keys}, {@code pwd}, {@code pw}, {@code pass},
 *       {@code pin}, {@code otp}, {@code totp}, {@code hotp}, {@code jwt}, {@code hash}, {@code salt},
 *       {@code seed}, {@code nonce} or {@code code}. So {@code reason} or {@code session_count} is
 *       fine but {@code key_id} or {@code error_code} is not: name a key as the event's {@link Target},
 *       put a failure reason under {@code reason};</li>
 *   <li>a value shaped like an email address ({@code x@y.z}) or a Latchkey/HTTP credential
 *       ({@code lk_…}, {@code lkr_…}, {@code lkv_…}, {@code lkp_…}, {@code lkcs_…},
 *       {@code Bearer …}, {@code Basic …}, a JWT, a PEM block, a PHC hash)
 *       is refused. Users are named by user id, never by email.</li>
 * </ul>
 */
public final class AuditDetails {

    /** Most entries one event may carry. */
    public static final int MAX_ENTRIES = 20;
    /** Longest value, in characters. */
    public static final int MAX_VALUE_LENGTH = 256;

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final List<String> SECRET_SUBSTRINGS = List.of("password", "passwd", "passphrase", "token",
            "secret", "authorization", "cookie", "credential", "bearer", "private", "apikey", "signature");
    private static final Set<String> SECRET_WORDS = Set.of("key", "keys", "pwd", "pw", "pass", "pin", "otp", "totp",
            "hotp", "jwt", "hash", "salt", "seed", "nonce", "code");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");
    private static final Pattern EMAIL_LIKE = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");
    /**
     * Latchkey API keys ({@code lk_}), refresh ({@code lkr_}), verification ({@code lkv_}) and reset
     * ({@code lkp_}) tokens, client secrets ({@code lkcs_}), HTTP credentials, JWTs, PEM keys, PHC password hashes.
     */
    private static final Pattern CREDENTIAL_LIKE = Pattern.compile("(?<![A-Za-z0-9])lk(?:[rvp]|cs)?_[A-Za-z0-9]"
            + "|(?i:(?<![a-z])(bearer|basic)\\s+[A-Za-z0-9._~+/-]{6,})"
            + "|-----BEGIN|\\$argon2|eyJ[A-Za-z0-9_-]*\\.eyJ");

    private AuditDetails() {
    }

    /**
     * Checks and copies details into an unmodifiable map sorted by key.
     *
     * @throws IllegalArgumentException naming the offending key (never the value, which may be a secret)
     */
    public static Map<String, String> validated(Map<String, String> details) {
        if (details.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("at most " + MAX_ENTRIES + " audit details");
        }
        Map<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> entry : details.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (key == null || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("audit detail keys must match " + KEY.pattern());
            }
            if (looksSecret(key)) {
                throw new IllegalArgumentException("audit detail '" + key
                        + "' is named like a secret: secrets never go into the audit log");
            }
            if (value == null) {
                throw new IllegalArgumentException("audit detail '" + key + "' has no value");
            }
            if (value.length() > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("audit detail '" + key + "' is longer than "
                        + MAX_VALUE_LENGTH + " characters");
            }
            if (CONTROL.matcher(value).find()) {
                throw new IllegalArgumentException("audit detail '" + key + "' contains a control character");
            }
            if (value.indexOf('@') >= 0 && EMAIL_LIKE.matcher(value).find()) { // the check first: cheaper than the scan
                throw new IllegalArgumentException("audit detail '" + key
                        + "' looks like an email address: name users by user id");
            }
            if (CREDENTIAL_LIKE.matcher(value).find()) {
                throw new IllegalArgumentException("audit detail '" + key + "' looks like a credential");
            }
            copy.put(key, value);
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(copy));
    }

    /** Whether a detail key is named like a secret (see the class comment). */
    public static boolean looksSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String word : SECRET_SUBSTRINGS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        for (String word : lower.split("_")) {
            if (SECRET_WORDS.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
