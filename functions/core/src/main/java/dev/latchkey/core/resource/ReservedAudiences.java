package dev.latchkey.core.resource;

import dev.latchkey.core.http.ApiRoutes;
import dev.latchkey.core.http.Route;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The audiences no resource may have, because they are Latchkey's own (docs/resources.md "Reserved audiences"): a
 * token for such a resource would carry an {@code aud} that Latchkey itself, or a resource server trusting
 * Latchkey's URLs, could take for a management token. Reserved, on the issuer's origin (same scheme, host and
 * port; {@code localhost}, {@code 127.0.0.1} and {@code [::1]} count as one host):
 * <ul>
 *   <li>the issuer itself, anything under its path, and any path above it (the origin's root included);</li>
 *   <li>every route of {@link ApiRoutes} (the one route declaration: the management API, {@code /oauth/*}, the JWKS
 *       and metadata documents) and anything under one, at the origin's root as well as under the issuer's path;</li>
 *   <li>anything under {@code /.well-known/} (RFC 8615: the host's, RFC 8414 §3 puts the metadata of an issuer
 *       with a path there).</li>
 * </ul>
 *
 * <p>Paths are compared after undoing every trick a server might undo: percent-decoding (so {@code %2F},
 * {@code %2e%2e} and {@code %76} count as {@code /}, {@code ..} and {@code v}), dot segments, empty segments
 * (doubled and trailing slashes) and letter case. The audience's own canonical form ({@link Audience#normalize})
 * already lower-cases scheme and host and drops a default port; a trailing dot of the host is dropped here.
 * Comparing decoded paths refuses more than strictly needed, never less.
 */
public final class ReservedAudiences {

    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    private final String origin;
    private final List<String> issuerPath;
    private final List<List<String>> routes;

    private ReservedAudiences(String origin, List<String> issuerPath, List<List<String>> routes) {
        this.origin = origin;
        this.issuerPath = issuerPath;
        this.routes = routes;
    }

    /**
     * The reserved audiences of a deployment whose issuer ({@code LATCHKEY_ISSUER}) is {@code issuer}, with the
     * routes of {@link ApiRoutes}.
     *
     * @throws IllegalArgumentException when the issuer is no absolute http(s) URL with a host
     */
    public static ReservedAudiences forIssuer(URI issuer) {
        Objects.requireNonNull(issuer, "issuer");
        String normalized = Audience.parse(issuer.toString()).orElseGet(() -> {
            if (issuer.getScheme() == null || issuer.getHost() == null) {
                throw new IllegalArgumentException("issuer must be an absolute URL with a host");
            }
            return issuer.getScheme().toLowerCase(Locale.ROOT) + "://" + issuer.getRawAuthority()
                    .toLowerCase(Locale.ROOT) + (issuer.getRawPath() == null ? "" : issuer.getRawPath());
        });
        URI canonical = URI.create(normalized);
        List<List<String>> routes = new ArrayList<>();
        for (Route route : ApiRoutes.all()) {
            routes.add(segments(route.path().text()));
        }
        routes.add(List.of(".well-known"));
        return new ReservedAudiences(origin(canonical), segments(canonical.getRawPath()), List.copyOf(routes));
    }

    /**
     * Whether a resource may not have this audience.
     *
     * @param audience in the canonical form of {@link Audience#normalize}
     */
    public boolean isReserved(String audience) {
        URI uri = URI.create(audience);
        if (!origin(uri).equals(origin)) {
            return false;
        }
        List<String> path = segments(uri.getRawPath());
        if (startsWith(path, issuerPath) || startsWith(issuerPath, path)) {
            return true;
        }
        for (List<String> route : routes) {
            if (startsWith(path, route) || startsWith(path, concat(issuerPath, route))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses a reserved audience.
     *
     * @param audience in the canonical form of {@link Audience#normalize}
     * @throws ResourceException 400 {@code VALIDATION_ERROR} on field {@code audience}, reason
     *     {@code RESERVED_AUDIENCE}
     */
    public void check(String audience) {
        if (isReserved(audience)) {
            throw ResourceException.invalid("audience", "RESERVED_AUDIENCE",
                    "Field 'audience' is a URL of Latchkey itself; a resource needs its own.");
        }
    }

    /** Scheme, host (loopback names folded, trailing dot dropped) and port, with the default port explicit. */
    private static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (LOOPBACK.contains(host)) {
            host = "loopback";
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + host + ":" + port;
    }

    /**
     * The path's segments as a server might read them: percent-decoded (a decoded {@code /} splits), empty and
     * {@code .} segments dropped, {@code ..} resolved, lower-cased.
     */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) {
            return out;
        }
        for (String segment : decode(rawPath).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(segment.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** Percent-decoding, repeated until nothing changes (so {@code %252F} cannot hide a {@code /} either). */
    private static String decode(String text) {
        String current = text;
        for (int round = 0; round < 5; round++) {
            String next = decodeOnce(current);
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        return current;
    }

    private static String decodeOnce(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** Whether {@code path} begins with {@code prefix}, a {@code {variable}} of the prefix matching any segment. */
    private static boolean startsWith(List<String> path, List<String> prefix) {
        if (prefix.size() > path.size()) {
            return false;
        }
        for (int i = 0; i < prefix.size(); i++) {
            String expected = prefix.get(i);
            boolean variable = expected.startsWith("{") && expected.endsWith("}");
            if (!variable && !expected.equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> joined = new ArrayList<>(first);
        joined.addAll(second);
        return joined;
    }
}
