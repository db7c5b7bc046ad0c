package dev.latchkey.core.apikey;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/** The API-key use cases' errors. Messages name fields, never a key or a hash. */
public final class ApiKeyException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private ApiKeyException(ErrorCode code, String message, Map<String, Object> details) {
        super(code, message, details, null);
    }

    /** 400 for one field. */
    public static ApiKeyException invalid(String field, String reason, String message) {
        return new ApiKeyException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field, "reason", reason));
    }

    /** 404: no such key in this organization. */
    public static ApiKeyException notFound() {
        return new ApiKeyException(ErrorCode.NOT_FOUND, "API key not found.", Map.of());
    }

    /** 404: the organization is gone (deleted while the key was being created). */
    public static ApiKeyException organizationNotFound() {
        return new ApiKeyException(ErrorCode.NOT_FOUND, "Organization not found.", Map.of());
    }

    /** 409: the key cannot change this way in its state (for example rolling a revoked key). */
    public static ApiKeyException conflict(String reason, String message) {
        return new ApiKeyException(ErrorCode.CONFLICT, message, Map.of("reason", reason));
    }
}
