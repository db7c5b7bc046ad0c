package dev.latchkey.core.http;

import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * The request pipeline every function runs: body size limit before anything reads the body,
 * routing, error mapping, and the response headers every answer carries.
 */
public final class HttpApplication {

    private static final System.Logger LOG = System.getLogger(HttpApplication.class.getName());

    /**
     * Headers every response carries unless the endpoint set them: responses hold personal data
     * and tokens, so nothing is cached or sniffed.
     */
    static final Map<String, String> DEFAULT_HEADERS = Map.of(
            "cache-control", "no-store",
            "x-content-type-options", "nosniff");

    private final Router router;
    private final int maxBodyBytes;

    /**
     * @param router the function's routes
     * @param maxBodyBytes the largest accepted request body
     */
    public HttpApplication(Router router, int maxBodyBytes) {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        this.router = router;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The routes this application serves. */
    public Router router() {
        return router;
    }

    /** Serves one request; never throws. */
    public HttpResponse handle(HttpRequest request) {
        HttpResponse response;
        try {
            if (request.bodyLength() > maxBodyBytes) {
                throw RequestException.tooLarge(maxBodyBytes);
            }
            response = router.dispatch(request);
        } catch (LatchkeyException e) {
            if (e.code().status() >= 500) {
                LOG.log(System.Logger.Level.WARNING, "request " + request.requestId() + " failed: " + e.code(), e);
            }
            response = ErrorResponses.of(e, request.requestId());
        } catch (RuntimeException e) {
            // A bug, not a client error: log the stack trace server-side and say nothing more to the client.
            LOG.log(System.Logger.Level.ERROR, "request " + request.requestId() + " failed unexpectedly", e);
            response = ErrorResponses.internal(request.requestId());
        }
        return response.withDefaultHeaders(DEFAULT_HEADERS);
    }
}
