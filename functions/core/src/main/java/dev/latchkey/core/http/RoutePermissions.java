package dev.latchkey.core.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The route → permission table of a function's organization routes, in the order it is written. */
public final class RoutePermissions {

    private RoutePermissions() {
    }

    /**
     * An unmodifiable map that iterates in the given order.
     *
     * @param routeThenPermission route key, its permission, route key, its permission, …
     * @throws IllegalArgumentException when a route is left without a permission or given twice
     */
    public static Map<String, String> of(String... routeThenPermission) {
        if (routeThenPermission.length % 2 != 0) {
            throw new IllegalArgumentException("a route without its permission");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < routeThenPermission.length; i += 2) {
            if (map.put(routeThenPermission[i], routeThenPermission[i + 1]) != null) {
                throw new IllegalArgumentException("route given twice: " + routeThenPermission[i]);
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
