package dev.latchkey.core.authorize;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An application's registered redirect URIs and the one rule that matches a request's {@code redirect_uri} against
 * them: exact string comparison (RFC 9700 §2.1, §4.1.3; OAuth 2.1 §2.3.1), with one exception — for a loopback
 * redirect of a native app ({@code http://127.0.0.1} or {@code http://[::1]}, RFC 8252 §7.3) the port may differ,
 * because the app listens on an ephemeral port. {@code localhost} is matched exactly only (RFC 8252 §8.3: not
 * recommended, a name can be re-pointed).
 *
 * @param uris the registered URIs, each absolute, without fragment
 */
public record RedirectUris(List<String> uris) {

    /** Validates each registered URI (RFC 6749 §3.1.2: absolute, no fragment; https, or http on loopback, or a
     * private-use scheme of a native app, RFC 8252 §7.1). */
    public RedirectUris {
        uris = List.copyOf(uris);
        for (String uri : uris) {
            if (!registrable(uri)) {
                throw new IllegalArgumentException("redirect URI not allowed");
            }
        }
    }

    /** Whether {@code uri} may be registered. */
    public static boolean registrable(String uri) {
        URI parsed = parse(uri);
        if (parsed == null || !parsed.isAbsolute() || parsed.getRawFragment() != null || parsed.isOpaque()) {
            return false;
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return parsed.getHost() != null;
        }
        if (scheme.equals("http")) {
            return isLoopback(parsed) || "localhost".equalsIgnoreCase(parsed.getHost());
        }
        // A private-use URI scheme (RFC 8252 §7.1): reverse domain name, so it contains a dot.
        return scheme.contains(".") && !scheme.equals("javascript") && !scheme.equals("data");
    }

    /** Whether {@code requested} is one of the registered URIs under the rule above. */
    public boolean matches(String requested) {
        if (requested == null) {
            return false;
        }
        for (String registered : uris) {
            if (registered.equals(requested) || loopbackMatch(registered, requested)) {
                return true;
            }
        }
        return false;
    }

    private static boolean loopbackMatch(String registered, String requested) {
        URI a = parse(registered);
        URI b = parse(requested);
        if (a == null || b == null || !"http".equals(a.getScheme()) || !"http".equals(b.getScheme())
                || !isLoopback(a) || !isLoopback(b)) {
            return false;
        }
        return Objects.equals(a.getHost(), b.getHost()) && a.getRawUserInfo() == null && b.getRawUserInfo() == null
                && Objects.equals(a.getRawPath(), b.getRawPath()) && Objects.equals(a.getRawQuery(), b.getRawQuery())
                && b.getRawFragment() == null;
    }

    private static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return "127.0.0.1".equals(host) || "[::1]".equals(host);
    }

    private static URI parse(String uri) {
        if (uri == null || uri.isEmpty() || uri.length() > 2000) {
            return null;
        }
        try {
            return new URI(uri);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
