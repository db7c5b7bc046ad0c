package dev.latchkey.core.resource;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The audience URI of a resource (RFC 8707 §2 resource indicator), in its one canonical form: an absolute
 * {@code https} URI ({@code http} only for {@code localhost} and {@code 127.0.0.1}) with a host, no userinfo, no
 * query, no fragment, printable ASCII only, at most {@value #MAX_LENGTH} characters; scheme and host lower-cased,
 * a default port dropped, the path kept exactly as given. Both the management API and token requests go through
 * {@link #normalize}, so {@code HTTPS://API.Example.com:443/v1} asks for the resource registered as
 * {@code https://api.example.com/v1}.
 */
public final class Audience {

    /** Longest audience, in characters (before and after normalizing). */
    public static final int MAX_LENGTH = 255;

    private Audience() {
    }

    /**
     * The canonical form.
     *
     * @throws ResourceException {@code VALIDATION_ERROR} on field {@code audience} naming the rule broken
     */
    public static String normalize(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid("REQUIRED", "Field 'audience' is required.");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid("TOO_LONG", "Field 'audience' has at most " + MAX_LENGTH + " characters.");
        }
        if (!text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw invalid("INVALID_CHARACTERS", "Field 'audience' is printable ASCII without spaces.");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("INVALID_URI", "Field 'audience' is not a URI.");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            throw invalid("NOT_ABSOLUTE", "Field 'audience' is an absolute URI with a host.");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("FRAGMENT", "Field 'audience' has no fragment (RFC 8707 §2).");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("USERINFO", "Field 'audience' has no user information.");
        }
        if (uri.getRawQuery() != null) {
            throw invalid("QUERY", "Field 'audience' has no query (RFC 8707 §2).");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean local = host.equals("localhost") || host.equals("127.0.0.1");
        if (!scheme.equals("https") && !(scheme.equals("http") && local)) {
            throw invalid("SCHEME", "Field 'audience' is an https URI (http only for localhost).");
        }
        int port = uri.getPort();
        boolean defaultPort = port == 443 && scheme.equals("https") || port == 80 && scheme.equals("http");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String normalized = scheme + "://" + host + (port == -1 || defaultPort ? "" : ":" + port) + path;
        if (normalized.length() > MAX_LENGTH) {
            throw invalid("TOO_LONG", "Field 'audience' has at most " + MAX_LENGTH + " characters.");
        }
        return normalized;
    }

    /** The canonical form, or empty for text that is no valid audience (never throws). */
    public static Optional<String> parse(String text) {
        try {
            return Optional.of(normalize(text));
        } catch (ResourceException e) {
            return Optional.empty();
        }
    }

    private static ResourceException invalid(String reason, String message) {
        return ResourceException.invalid("audience", reason, message);
    }
}
