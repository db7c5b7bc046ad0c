package dev.latchkey.core.application;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/** The application use cases' errors. Messages name fields, never a secret, a hash or key material. */
public final class ApplicationException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    /** The {@code CONFLICT} reason of a change that raced another one (or an application that vanished). */
    public static final String CHANGED = "CHANGED";

    private ApplicationException(ErrorCode code, String message, Map<String, Object> details) {
        super(code, message, details, null);
    }

    /** 400 for one field. */
    public static ApplicationException invalid(String field, String reason, String message) {
        return new ApplicationException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field, "reason", reason));
    }

    /** 404: no such application in this organization (or no such organization). */
    public static ApplicationException notFound() {
        return new ApplicationException(ErrorCode.NOT_FOUND, "Application not found.", Map.of());
    }

    /** 404: no such key of this application. */
    public static ApplicationException keyNotFound() {
        return new ApplicationException(ErrorCode.NOT_FOUND, "Application key not found.", Map.of());
    }

    /** 409: a duplicate, a limit, or a change that raced another one. */
    public static ApplicationException conflict(String reason, String message) {
        return new ApplicationException(ErrorCode.CONFLICT, message, Map.of("reason", reason));
    }
}
