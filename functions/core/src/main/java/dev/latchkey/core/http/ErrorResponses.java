package dev.latchkey.core.http;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one mapper from errors to the standard error body
 * {@code {"error":{"code","message","details","request_id"}}}.
 *
 * <p>Only {@link LatchkeyException}s speak to the client, with their own client-safe message; any
 * other failure answers a generic {@code INTERNAL_ERROR} — never an exception message or a stack
 * trace.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    /** The response for a client-visible error. */
    public static HttpResponse of(LatchkeyException error, String requestId) {
        HttpResponse response = body(error.code(), error.getMessage(), error.details(), requestId);
        for (var header : error.headers().entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        return response;
    }

    /** The generic response for an unexpected failure. */
    public static HttpResponse internal(String requestId) {
        return body(ErrorCode.INTERNAL_ERROR, "Internal error.", Map.of(), requestId);
    }

    /** A standard error body with the code's status. */
    public static HttpResponse body(ErrorCode code, String message, Map<String, Object> details, String requestId) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", message);
        error.put("details", details);
        if (requestId != null && !requestId.isEmpty()) {
            error.put("request_id", requestId);
        }
        return HttpResponse.json(code.status(), Json.write(Map.of("error", error)));
    }
}
