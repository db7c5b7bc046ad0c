package dev.latchkey.core.http;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * A request that cannot be served as sent: malformed body, unknown route, wrong method, wrong
 * content type, body too large.
 */
public final class RequestException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> headers;

    private RequestException(ErrorCode code, String message, Map<String, Object> details, Map<String, String> headers) {
        super(code, message, details, null);
        this.headers = Map.copyOf(headers);
    }

    /** 400 {@code VALIDATION_ERROR} with a client-safe reason; {@code details} must hold no secret. */
    public static RequestException invalid(String message, Map<String, Object> details) {
        return new RequestException(ErrorCode.VALIDATION_ERROR, message, details, Map.of());
    }

    /** 400 {@code VALIDATION_ERROR} without details. */
    public static RequestException invalid(String message) {
        return invalid(message, Map.of());
    }

    /** 404 {@code NOT_FOUND}: no route, or no such resource visible to the caller. */
    public static RequestException notFound() {
        return new RequestException(ErrorCode.NOT_FOUND, "No such resource.", Map.of(), Map.of());
    }

    /** 405 {@code METHOD_NOT_ALLOWED} with the {@code Allow} header (RFC 9110 §15.5.6). */
    public static RequestException methodNotAllowed(String allow) {
        return new RequestException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed on this resource.",
                Map.of("allow", allow), Map.of("allow", allow));
    }

    /** 413 {@code PAYLOAD_TOO_LARGE}. */
    public static RequestException tooLarge(int limitBytes) {
        return new RequestException(ErrorCode.PAYLOAD_TOO_LARGE, "Request body exceeds " + limitBytes + " bytes.",
                Map.of("limit_bytes", limitBytes), Map.of());
    }

    /** 415 {@code UNSUPPORTED_MEDIA_TYPE}. */
    public static RequestException unsupportedMediaType(String expected) {
        return new RequestException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + expected + ".",
                Map.of("expected", expected), Map.of());
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }
}
