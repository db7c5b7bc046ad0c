package dev.latchkey.core.sso;

import dev.latchkey.core.http.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hosted pages' two cookies and the CSRF tokens derived from them.
 * <ul>
 *   <li>{@link #SESSION} {@code __Host-latchkey_session}: the single sign-on browser session, 256 random bits,
 *       stored only as its SHA-256 ({@link #hash}).</li>
 *   <li>{@link #LOGIN} {@code __Host-latchkey_login}: a random value set with the sign-in page before any session
 *       exists, so the sign-in's POST is bound to the browser that loaded the page (login CSRF, RFC 9700 §4.4.1).</li>
 * </ul>
 * Both are {@code Secure; HttpOnly; SameSite=Lax; Path=/} with the {@code __Host-} prefix (RFC 6265bis §4.1.3.2: no
 * {@code Domain}, so no sibling host can set or read them) and without {@code Max-Age}: they end with the browser, and
 * the server ends the session earlier when the Latchkey session ends. A CSRF token is {@code SHA-256("csrf:" + value)}
 * of the cookie it is bound to: a page can show it, a cross-site attacker can neither read the HttpOnly cookie nor
 * compute it, and comparing it costs no stored state (synchronizer token derived from the session).
 */
public final class SsoCookie {

    /** The single sign-on session cookie. */
    public static final String SESSION = "__Host-latchkey_session";

    /** The sign-in page's pre-session cookie. */
    public static final String LOGIN = "__Host-latchkey_login";

    private static final int VALUE_BYTES = 32;
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String ATTRIBUTES = "; Path=/; Secure; HttpOnly; SameSite=Lax";

    private SsoCookie() {
    }

    /** A fresh cookie value: 256 random bits, base64url. */
    public static String newValue(SecureRandom random) {
        byte[] bytes = new byte[VALUE_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The {@code Set-Cookie} value that sets cookie {@code name}. */
    public static String set(String name, String value) {
        return name + "=" + value + ATTRIBUTES;
    }

    /** The {@code Set-Cookie} value that removes cookie {@code name}. */
    public static String clear(String name) {
        return name + "=; Max-Age=0" + ATTRIBUTES;
    }

    /**
     * The value of cookie {@code name} in the request's {@code Cookie} header (RFC 6265 §5.4), when it is well formed;
     * a malformed or duplicated value is treated as absent.
     */
    public static Optional<String> read(Headers headers, String name) {
        String found = null;
        for (String header : headers.all("cookie")) {
            for (String pair : header.split(";")) {
                String trimmed = pair.strip();
                int eq = trimmed.indexOf('=');
                if (eq > 0 && trimmed.substring(0, eq).equals(name)) {
                    if (found != null) {
                        return Optional.empty();
                    }
                    found = trimmed.substring(eq + 1);
                }
            }
        }
        return Optional.ofNullable(found).filter(v -> VALUE.matcher(v).matches());
    }

    /** The stored form of a cookie value: base64url SHA-256. */
    public static String hash(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value));
    }

    /** The CSRF token bound to a cookie value. */
    public static String csrfToken(String cookieValue) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("csrf:" + cookieValue));
    }

    /** Whether {@code presented} is the CSRF token of {@code cookieValue}, compared in constant time. */
    public static boolean csrfMatches(Optional<String> cookieValue, String presented) {
        if (cookieValue.isEmpty() || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(csrfToken(cookieValue.get()).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
