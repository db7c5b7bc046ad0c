package dev.latchkey.core.resource;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/** The resource and grant use cases' errors. Messages name fields, never another tenant's ids. */
public final class ResourceException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private ResourceException(ErrorCode code, String message, Map<String, Object> details) {
        super(code, message, details, null);
    }

    /** 400 for one field. */
    public static ResourceException invalid(String field, String reason, String message) {
        return new ResourceException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field, "reason", reason));
    }

    /** 404: no such resource in this organization. */
    public static ResourceException notFound() {
        return new ResourceException(ErrorCode.NOT_FOUND, "Resource not found.", Map.of());
    }

    /** 404: no such grant, or a grantee that is not in this organization. */
    public static ResourceException granteeNotFound() {
        return new ResourceException(ErrorCode.NOT_FOUND, "Grantee not found in this organization.", Map.of());
    }

    /** 409 with a stable reason ({@code AUDIENCE_TAKEN}, {@code CONCURRENT_CHANGE}, {@code TOO_MANY_GRANTS}…). */
    public static ResourceException conflict(String reason, String message) {
        return new ResourceException(ErrorCode.CONFLICT, message, Map.of("reason", reason));
    }
}
