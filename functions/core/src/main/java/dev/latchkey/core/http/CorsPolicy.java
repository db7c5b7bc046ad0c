package dev.latchkey.core.http;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which browser origins may call the API (Fetch Standard §3.2 "CORS protocol"), as API Gateway's
 * {@code CorsConfiguration} answers them in AWS and the local server answers them itself.
 *
 * <p>Origins are exact ({@code scheme://host[:port]}, no path, no wildcard): the API takes bearer tokens and API keys,
 * and an origin list is what keeps another site's scripts from reading the answers. Methods and headers are fixed
 * by the API ({@link #ALLOW_METHODS}, {@link #ALLOW_HEADERS}, {@link #EXPOSE_HEADERS}); the SAM template and the
 * Terraform stack declare the same lists ({@code CorsConfigurationParityTest}).
 *
 * <p>What API Gateway does, and so this class: a preflight ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) is answered 204 without reaching a function, with the allow headers only
 * when the origin is listed; any other request with a listed {@code Origin} gets {@code Access-Control-Allow-Origin}
 * (that origin, never {@code *}) and the exposed headers added to the function's answer. With no origin listed CORS
 * is off and every request goes to the functions as before.
 *
 * @param allowedOrigins the exact origins ({@code LATCHKEY_CORS_ALLOWED_ORIGINS}, comma-separated; empty = off)
 * @param maxAge how long a browser may cache a preflight answer ({@code LATCHKEY_CORS_MAX_AGE_SECONDS})
 * @param allowCredentials whether browsers may send cookies ({@code LATCHKEY_CORS_ALLOW_CREDENTIALS}, default false)
 */
public record CorsPolicy(List<String> allowedOrigins, Duration maxAge, boolean allowCredentials) {

    /** The methods the API's routes use. */
    public static final List<String> ALLOW_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /** The request headers the API reads beyond the CORS-safelisted ones. */
    public static final List<String> ALLOW_HEADERS = List.of("authorization", "content-type", "if-none-match",
            "x-api-key");

    /** The response headers a browser app may read (rate limits, retry hints, challenges, the JWKS ETag). */
    public static final List<String> EXPOSE_HEADERS = List.of("etag", "ratelimit-limit", "ratelimit-remaining",
            "ratelimit-reset", "retry-after", "www-authenticate", "x-ratelimit-limit", "x-ratelimit-remaining",
            "x-ratelimit-reset");

    /** The default preflight cache lifetime: ten minutes, Chromium's own ceiling. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(600);

    /** Keeps the list immutable. */
    public CorsPolicy {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** CORS off: no origin is allowed and no request is treated as a preflight. */
    public static CorsPolicy off() {
        return new CorsPolicy(List.of(), DEFAULT_MAX_AGE, false);
    }

    /** Whether any origin is allowed. */
    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    /**
     * Why a configured origin is refused, if it is.
     *
     * @param value one entry of {@code LATCHKEY_CORS_ALLOWED_ORIGINS}
     * @return the problem, or empty when it is a serialized origin
     */
    public static Optional<String> originProblem(String value) {
        if (value.equals("*") || value.equals("null")) {
            return Optional.of("is not an exact origin (no wildcard, no 'null')");
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || !bare
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return Optional.of("is not an origin such as https://app.example.com (scheme, host, optional port)");
            }
            if (!value.equals(value.toLowerCase(Locale.ROOT))) {
                return Optional.of("must be lower case, as browsers send it");
            }
            return Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.of("is not an origin such as https://app.example.com");
        }
    }

    /** Whether this request is a CORS preflight this policy answers (CORS on, {@code OPTIONS}, both headers). */
    public boolean isPreflight(String method, Headers headers) {
        return enabled() && method.equals("OPTIONS") && headers.first("origin").isPresent()
                && headers.first("access-control-request-method").isPresent();
    }

    /**
     * The answer to a preflight: 204, with the allow headers when the origin is listed and without them otherwise
     * (the browser then refuses the real request).
     */
    public HttpResponse preflight(Headers headers) {
        Map<String, String> answer = new LinkedHashMap<>();
        headers.first("origin").filter(allowedOrigins::contains).ifPresent(origin -> {
            answer.put("access-control-allow-origin", origin);
            answer.put("access-control-allow-methods", String.join(",", ALLOW_METHODS));
            answer.put("access-control-allow-headers", String.join(",", ALLOW_HEADERS));
            answer.put("access-control-max-age", Long.toString(maxAge.toSeconds()));
            if (allowCredentials) {
                answer.put("access-control-allow-credentials", "true");
            }
        });
        answer.put("vary", "origin");
        return new HttpResponse(204, answer, new byte[0]);
    }

    /**
     * The headers added to a function's answer to a request with a listed {@code Origin}; none for any other.
     */
    public Map<String, String> responseHeaders(Headers headers) {
        if (!enabled()) {
            return Map.of();
        }
        Map<String, String> answer = new LinkedHashMap<>();
        headers.first("origin").filter(allowedOrigins::contains).ifPresent(origin -> {
            answer.put("access-control-allow-origin", origin);
            answer.put("access-control-expose-headers", String.join(",", EXPOSE_HEADERS));
            if (allowCredentials) {
                answer.put("access-control-allow-credentials", "true");
            }
            answer.put("vary", "origin");
        });
        return answer;
    }
}
