package dev.latchkey.core.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dispatches a request to the endpoint of the most specific matching route. A path that no route
 * of the whole API matches answers 404; a path served with other methods answers 405 with
 * {@code Allow} (RFC 9110 §15.5.6) — so wrong methods look the same whichever function receives
 * them.
 */
public final class Router {

    private record Binding(Route route, Endpoint endpoint) {
    }

    private final List<Binding> bindings;

    private Router(List<Binding> bindings) {
        List<Binding> sorted = new ArrayList<>(bindings);
        sorted.sort(Comparator.comparingInt((Binding b) -> b.route().path().literalCount()).reversed());
        this.bindings = List.copyOf(sorted);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The routes this router serves. */
    public List<Route> routes() {
        return bindings.stream().map(Binding::route).toList();
    }

    /**
     * Finds the endpoint and calls it with the path parameters filled in.
     *
     * @throws RequestException {@code NOT_FOUND} or {@code METHOD_NOT_ALLOWED} when no route matches
     */
    public HttpResponse dispatch(HttpRequest request) {
        for (Binding binding : bindings) {
            if (!binding.route().method().equals(request.method())) {
                continue;
            }
            var parameters = binding.route().path().match(request.path());
            if (parameters.isPresent()) {
                return binding.endpoint().handle(request.withPathParameters(parameters.get()));
            }
        }
        Set<String> allowed = new java.util.TreeSet<>(ApiRoutes.allowedMethods(request.path()));
        bindings.stream().filter(b -> b.route().path().match(request.path()).isPresent())
                .forEach(b -> allowed.add(b.route().method()));
        if (allowed.isEmpty() || allowed.contains(request.method())) {
            throw RequestException.notFound();
        }
        throw RequestException.methodNotAllowed(String.join(", ", allowed));
    }

    /** Collects routes. */
    public static final class Builder {
        private final List<Binding> bindings = new ArrayList<>();
        private final Map<String, Boolean> seen = new java.util.HashMap<>();

        private Builder() {
        }

        /**
         * Adds a route.
         *
         * @throws IllegalArgumentException when the route key is malformed or already added
         */
        public Builder route(String routeKey, Endpoint endpoint) {
            Route route = Route.parse(routeKey);
            if (seen.put(route.key(), Boolean.TRUE) != null) {
                throw new IllegalArgumentException("duplicate route " + route.key());
            }
            bindings.add(new Binding(route, endpoint));
            return this;
        }

        /** The router. */
        public Router build() {
            return new Router(bindings);
        }
    }
}
