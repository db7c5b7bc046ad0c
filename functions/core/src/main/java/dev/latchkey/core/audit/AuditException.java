package dev.latchkey.core.audit;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * The audit log refused a request: a query it cannot serve as asked (400 {@code VALIDATION_ERROR},
 * including a tampered or foreign cursor) or a second write of the same event (409 {@code CONFLICT}).
 * Messages name the offending field, never a value and never another tenant's id.
 */
public final class AuditException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private AuditException(ErrorCode code, String message, Map<String, Object> details) {
        super(code, message, details, null);
    }

    /** 400: a query parameter is out of range; {@code field} names it. */
    public static AuditException invalid(String field, String message) {
        return new AuditException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field));
    }

    /** 400: the cursor is malformed, tampered with, or belongs to another query scope. */
    public static AuditException invalidCursor() {
        return new AuditException(ErrorCode.VALIDATION_ERROR, "Invalid cursor.", Map.of("field", "cursor"));
    }

    /** 409: an event with this id (at this time) is already recorded; the log never overwrites. */
    public static AuditException duplicate() {
        return new AuditException(ErrorCode.CONFLICT, "Audit event already recorded.", Map.of());
    }
}
