package dev.latchkey.functions.local;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.Json;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what never reaches a function — a malformed request line or URL ({@code %zz}, bytes that are not UTF-8),
 * oversized headers, a body that does not arrive in time — with Latchkey's standard error body
 * ({@code {"error":{"code","message","details"}}}, docs/operations.md) instead of the HTTP engine's HTML page.
 * Nothing of the request is echoed.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code
                : response.getStatus() >= 400 ? response.getStatus() : 500;
        response.setStatus(status);
        byte[] body = body(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** The standard error body for a transport-level status. */
    static byte[] body(int status) {
        ErrorCode code;
        String reason;
        String message;
        switch (status) {
            case 408:
                code = ErrorCode.VALIDATION_ERROR;
                reason = "REQUEST_TIMEOUT";
                message = "The request was not received in time.";
                break;
            case 413:
                code = ErrorCode.PAYLOAD_TOO_LARGE;
                reason = "TOO_LARGE";
                message = "The request is too large.";
                break;
            case 414:
            case 431:
                code = ErrorCode.VALIDATION_ERROR;
                reason = "HEADERS_TOO_LARGE";
                message = "The request line or headers are too large.";
                break;
            case 404:
                code = ErrorCode.NOT_FOUND;
                reason = "NOT_FOUND";
                message = "No such resource.";
                break;
            default:
                if (status >= 500) {
                    code = status == 503 ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
                    reason = code.name();
                    message = status == 503 ? "Service unavailable." : "Internal error.";
                } else {
                    code = ErrorCode.VALIDATION_ERROR;
                    reason = "MALFORMED_REQUEST";
                    message = "Malformed request: the request line, URL or headers are not valid HTTP.";
                }
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", message);
        error.put("details", Map.of("reason", reason));
        return Json.write(Map.of("error", error));
    }
}
