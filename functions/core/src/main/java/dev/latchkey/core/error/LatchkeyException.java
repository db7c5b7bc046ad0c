package dev.latchkey.core.error;

import java.util.Map;

/**
 * Root of every exception that Latchkey turns into a client-visible error.
 *
 * <p>Each concept has its own subclass family; the one error mapper turns the {@link #code()} into
 * a response. The {@link #getMessage() message} is written for the client and must never contain a
 * secret, token, password, email address or another tenant's identifier: put such values nowhere
 * in an exception. {@link #details()} carries structured, equally safe, extra information.
 */
public abstract class LatchkeyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Map<String, Object> details;

    protected LatchkeyException(ErrorCode code, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause, false, true);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    protected LatchkeyException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    /** The stable error code. */
    public ErrorCode code() {
        return code;
    }

    /** Structured details safe to show to the client (may be empty). */
    public Map<String, Object> details() {
        return details;
    }

    /** Extra response headers this error needs (for example {@code Retry-After}); none by default. */
    public Map<String, String> headers() {
        return Map.of();
    }
}
