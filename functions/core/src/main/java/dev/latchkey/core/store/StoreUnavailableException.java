package dev.latchkey.core.store;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * The table could not be reached or kept failing after the SDK's retries (throttling, 5xx,
 * network). Answered with 503 and nothing half-written: callers fail closed.
 */
public final class StoreUnavailableException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    /** @param cause the adapter's failure (kept for logs, never shown to clients) */
    public StoreUnavailableException(Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, "Storage temporarily unavailable.", Map.of(), cause);
    }
}
