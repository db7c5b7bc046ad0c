package dev.latchkey.core.passkey;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The relying party and the rules of every passkey ceremony (WebAuthn Level 3, SECURITY.md "Passkeys").
 *
 * @param rpId the relying party id: a domain (WebAuthn L3 §5.1.3 step 8: each web origin's host is this
 *     domain or a subdomain of it), never an IP address, lower case
 * @param rpName the name authenticators show ({@code rp.name}), 1–64 characters
 * @param allowedOrigins the origins a ceremony's {@code clientDataJSON.origin} may be (§7.1 step 9, §7.2
 *     step 13): web origins ({@code https://host[:port]}, or {@code http://} for development on
 *     {@code localhost}) and native-app origins ({@code android:apk-key-hash:…}); at least one
 * @param userVerificationRequired whether the UV flag must be set (§7.1 step 15, §7.2 step 17);
 *     {@code userVerification} in the options says {@code required} or {@code preferred} accordingly
 * @param challengeLifetime how long a challenge stays usable, 30 s – 10 min; also the options' {@code timeout}
 */
public record PasskeyPolicy(String rpId, String rpName, List<String> allowedOrigins,
        boolean userVerificationRequired, Duration challengeLifetime) {

    /** The relying party name when none is configured. */
    public static final String DEFAULT_RP_NAME = "Latchkey";
    /** How long a challenge lives by default (WebAuthn L3 §15.1 recommends 5 to 10 minutes for UV). */
    public static final Duration DEFAULT_CHALLENGE_LIFETIME = Duration.ofMinutes(5);
    /** Shortest accepted challenge lifetime. */
    public static final Duration MIN_CHALLENGE_LIFETIME = Duration.ofSeconds(30);
    /** Longest accepted challenge lifetime. */
    public static final Duration MAX_CHALLENGE_LIFETIME = Duration.ofMinutes(10);

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern ANDROID = Pattern.compile("android:apk-key-hash:[A-Za-z0-9_-]{20,100}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException naming the field that breaks a rule above
     */
    public PasskeyPolicy {
        Objects.requireNonNull(rpId, "rpId");
        Objects.requireNonNull(rpName, "rpName");
        Objects.requireNonNull(challengeLifetime, "challengeLifetime");
        allowedOrigins = List.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
        rpIdProblem(rpId).ifPresent(problem -> {
            throw new IllegalArgumentException("rpId " + problem);
        });
        rpNameProblem(rpName).ifPresent(problem -> {
            throw new IllegalArgumentException("rpName: " + problem);
        });
        if (allowedOrigins.isEmpty()) {
            throw new IllegalArgumentException("allowedOrigins must not be empty");
        }
        for (String origin : allowedOrigins) {
            if (!normalizeOrigin(origin).equals(origin)) {
                throw new IllegalArgumentException("allowedOrigins must be normalized: " + origin);
            }
            scopeProblem(rpId, origin).ifPresent(problem -> {
                throw new IllegalArgumentException("allowedOrigins: " + origin + " " + problem);
            });
        }
        if (challengeLifetime.compareTo(MIN_CHALLENGE_LIFETIME) < 0
                || challengeLifetime.compareTo(MAX_CHALLENGE_LIFETIME) > 0) {
            throw new IllegalArgumentException("challengeLifetime must be within 30 s and 10 min");
        }
    }

    /** A policy with user verification required and the default challenge lifetime. */
    public static PasskeyPolicy of(String rpId, String rpName, List<String> allowedOrigins) {
        return new PasskeyPolicy(rpId, rpName, allowedOrigins, true, DEFAULT_CHALLENGE_LIFETIME);
    }

    /** The same policy with another challenge lifetime. */
    public PasskeyPolicy withChallengeLifetime(Duration value) {
        return new PasskeyPolicy(rpId, rpName, allowedOrigins, userVerificationRequired, value);
    }

    /** The same policy with user verification required or only preferred. */
    public PasskeyPolicy withUserVerificationRequired(boolean value) {
        return new PasskeyPolicy(rpId, rpName, allowedOrigins, value, challengeLifetime);
    }

    /** The options' {@code userVerification}: {@code required} or {@code preferred}. */
    public String userVerification() {
        return userVerificationRequired ? "required" : "preferred";
    }

    /**
     * Why a string is no RP id, or empty when it is one: a lower-case domain name of letters, digits and hyphens
     * ({@code localhost} included), at most 253 characters, no IP address, no scheme, port or path.
     */
    public static Optional<String> rpIdProblem(String value) {
        if (value == null || value.isEmpty() || value.length() > 253) {
            return Optional.of("is not a domain name such as id.example.com");
        }
        if (IPV4.matcher(value).matches() || value.contains(":") || value.startsWith("[")) {
            return Optional.of("is an IP address; WebAuthn needs a domain name such as id.example.com or localhost");
        }
        if (!value.contains(".") && !value.equals("localhost")) {
            return Optional.of("is a single label; use a domain name such as example.com (or localhost)");
        }
        for (String label : value.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("is not a lower-case domain name such as id.example.com (no scheme, port or path)");
            }
        }
        return Optional.empty();
    }

    /** Why a string is no RP name, or empty when it is one: 1–64 characters, no control characters. */
    public static Optional<String> rpNameProblem(String value) {
        if (value == null || value.isBlank() || value.codePointCount(0, value.length()) > 64
                || CONTROL.matcher(value).find()) {
            return Optional.of("must be 1-64 characters without control characters");
        }
        return Optional.empty();
    }

    /**
     * The canonical form of an allowed origin, as a browser writes it into {@code clientDataJSON}: a web origin
     * lower-cased, without a default port ({@code https://id.example.com}); an Android app origin as given
     * ({@code android:apk-key-hash:<base64url SHA-256 of the signing certificate>}).
     *
     * @throws IllegalArgumentException with the reason, for anything else (a path, query, user info, another
     *     scheme, a trailing slash)
     */
    public static String normalizeOrigin(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("is not an origin such as https://id.example.com");
        }
        if (value.startsWith("android:")) {
            if (!ANDROID.matcher(value).matches()) {
                throw new IllegalArgumentException("is not an Android origin android:apk-key-hash:<base64url>");
            }
            return value;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not an origin such as https://id.example.com");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
            throw new IllegalArgumentException("is not an origin such as https://id.example.com (scheme, host and "
                    + "port only, no path or trailing slash) or android:apk-key-hash:<base64url>");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !(host.equals("localhost") || host.endsWith(".localhost"))) {
            throw new IllegalArgumentException("uses http for a host other than localhost; browsers allow WebAuthn "
                    + "only on https origins (and http://localhost for development)");
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443)
                || (scheme.equals("http") && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /**
     * Why a normalized origin cannot be used with this RP id, or empty: a web origin's host must be the RP id
     * or end with {@code "." + rpId} (WebAuthn L3 §5.1.3 step 8; related origins are not supported). Native-app
     * origins carry no host and are never out of scope.
     */
    public static Optional<String> scopeProblem(String rpId, String origin) {
        if (origin.startsWith("android:")) {
            return Optional.empty();
        }
        String host = URI.create(origin).getHost();
        if (host.equals(rpId) || host.endsWith("." + rpId)) {
            return Optional.empty();
        }
        return Optional.of("is neither the RP id " + rpId + " nor a subdomain of it");
    }
}
