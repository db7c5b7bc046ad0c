package dev.latchkey.core.error;

/**
 * The stable error codes of Latchkey's standard error body, each with the HTTP status it maps to.
 *
 * <p>Clients branch on the code, never on the message; codes are part of the public contract and
 * are never renamed.
 */
public enum ErrorCode {
    VALIDATION_ERROR(400),
    AUTHENTICATION_FAILED(401),
    PERMISSION_DENIED(403),
    /** The organization requires a second factor the user has not enrolled (issue 14 item 5). */
    MFA_REQUIRED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    RATE_LIMITED(429),
    INTERNAL_ERROR(500),
    SERVICE_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status code this error answers with. */
    public int status() {
        return status;
    }
}
