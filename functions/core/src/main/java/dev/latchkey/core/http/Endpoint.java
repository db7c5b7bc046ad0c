package dev.latchkey.core.http;

/** Serves one route: parse the request, run one use case, map its result. */
@FunctionalInterface
public interface Endpoint {

    /**
     * Handles the request.
     *
     * @throws dev.latchkey.core.error.LatchkeyException for any client-visible failure; the
     *     pipeline maps it to the standard error body
     */
    HttpResponse handle(HttpRequest request);
}
