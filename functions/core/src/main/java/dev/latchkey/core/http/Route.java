package dev.latchkey.core.http;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One route: an HTTP method and a path template, written as API Gateway's route key
 * ({@code "GET /health"}).
 *
 * @param method upper-case HTTP method
 * @param path the path template
 */
public record Route(String method, PathTemplate path) {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** Validates the method. */
    public Route {
        Objects.requireNonNull(path, "path");
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("unsupported method " + method);
        }
    }

    /** Parses a route key such as {@code "POST /v1/auth/register"}. */
    public static Route parse(String routeKey) {
        int space = routeKey.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("route key needs 'METHOD /path': " + routeKey);
        }
        return new Route(routeKey.substring(0, space).toUpperCase(Locale.ROOT),
                PathTemplate.parse(routeKey.substring(space + 1)));
    }

    /** The API Gateway route key. */
    public String key() {
        return method + " " + path.text();
    }

    @Override
    public String toString() {
        return key();
    }
}
