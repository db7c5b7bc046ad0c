package dev.latchkey.infrastructure.lambda;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CloudFront edge in front of the API (issue #19 item 11, docs/deployment.md "Edge"): CloudFront adds the secret
 * origin header {@value #SECRET_HEADER} to every origin request, so a request without it went around the web ACL
 * (straight to the origin's custom domain) and is refused; a request with it came through CloudFront, whose
 * {@value #VIEWER_ADDRESS_HEADER} header ({@code ip:port}) is then the client address, never API Gateway's
 * {@code sourceIp} (a CloudFront edge address shared by many clients).
 *
 * <p>{@link #off()} (no {@code LATCHKEY_EDGE_ORIGIN_SECRET}): nothing changes, both headers are ignored, so a client
 * cannot choose its own address. The secret is kept only as its SHA-256 digest and compared in constant time
 * ({@link MessageDigest#isEqual} over digests of equal length).
 */
public final class EdgeOrigin {

    /** The custom origin header CloudFront adds (lower case, as API Gateway delivers header names). */
    public static final String SECRET_HEADER = "x-latchkey-edge-secret";

    /** CloudFront's viewer address header, {@code ip:port} (IPv6 without brackets). */
    public static final String VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address";

    private static final EdgeOrigin OFF = new EdgeOrigin(null);

    private final byte[] secretDigest;

    private EdgeOrigin(byte[] secretDigest) {
        this.secretDigest = secretDigest;
    }

    /** No edge: {@code sourceIp} is the client address. */
    public static EdgeOrigin off() {
        return OFF;
    }

    /** The edge with this origin secret, or {@link #off()} without one. */
    public static EdgeOrigin of(Optional<String> secret) {
        return secret.map(value -> new EdgeOrigin(sha256(value))).orElse(OFF);
    }

    /** Whether the edge is configured. */
    public boolean enabled() {
        return secretDigest != null;
    }

    /**
     * The client address of a request, or empty when the request must be refused: with the edge, when the secret
     * header is missing or wrong, or when the viewer address is missing or not an IP literal; without it,
     * {@code sourceIp}.
     *
     * @param headers the event's headers (lower-case names, as API Gateway delivers them; may be {@code null})
     * @param sourceIp API Gateway's {@code requestContext.http.sourceIp}
     */
    public Optional<String> clientAddress(Map<String, String> headers, String sourceIp) {
        if (!enabled()) {
            return Optional.of(sourceIp == null ? "" : sourceIp);
        }
        if (!carriesSecret(header(headers, SECRET_HEADER))) {
            return Optional.empty();
        }
        return viewerIp(header(headers, VIEWER_ADDRESS_HEADER));
    }

    /** Whether {@code presented} is the secret: SHA-256 of both, compared in constant time. */
    boolean carriesSecret(String presented) {
        // Digest even a missing value, so a missing and a wrong header take the same path.
        byte[] digest = sha256(presented == null ? "" : presented);
        return MessageDigest.isEqual(digest, secretDigest) && presented != null;
    }

    /**
     * The IP of a {@code CloudFront-Viewer-Address} value, {@code ip:port}: the port is what follows the last colon
     * (IPv6 comes without brackets, e.g. {@code 2001:db8::1:443}); the IP must be an IPv4 or IPv6 literal, read by
     * a strict parser that never resolves a name.
     */
    static Optional<String> viewerIp(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || !isPort(value.substring(colon + 1))) {
            return Optional.empty();
        }
        String ip = value.substring(0, colon);
        if (isIpv4(ip)) {
            return Optional.of(ip);
        }
        return isIpv6(ip) ? Optional.of(ip.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int port = Integer.parseInt(text);
        return port <= 65535;
    }

    /** Dotted decimal, four parts 0–255, no leading zeros (which some parsers read as octal). */
    static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** RFC 4291 §2.2 text forms: eight groups, or fewer with one {@code ::}, optionally ending in IPv4; no zone. */
    static boolean isIpv6(String text) {
        if (text.length() < 2 || text.length() > 45) {
            return false;
        }
        String head = text;
        int groups = 0;
        int lastColon = text.lastIndexOf(':');
        if (lastColon < 0) {
            return false;
        }
        String tail = text.substring(lastColon + 1);
        if (tail.contains(".")) {
            if (!isIpv4(tail)) {
                return false;
            }
            groups += 2;
            head = text.substring(0, lastColon + 1);
            if (!head.endsWith("::")) {
                head = head.substring(0, head.length() - 1);
            }
        }
        int doubleColon = head.indexOf("::");
        if (doubleColon >= 0 && head.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] sides = doubleColon >= 0
                ? new String[] {head.substring(0, doubleColon), head.substring(doubleColon + 2)}
                : new String[] {head};
        for (String side : sides) {
            if (side.isEmpty()) {
                continue;
            }
            for (String group : side.split(":", -1)) {
                if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(EdgeOrigin::isHex)) {
                    return false;
                }
                groups++;
            }
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        String value = headers.get(name);
        if (value != null) {
            return value;
        }
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }
}
