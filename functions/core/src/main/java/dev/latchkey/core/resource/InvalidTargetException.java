package dev.latchkey.core.resource;

/**
 * The requested {@code audience}/{@code resource} names no resource this caller may get a token for: unknown,
 * another organization's, or not among a client's allowed resources. The OAuth endpoints answer RFC 8707's
 * {@code invalid_target}; the message is the same in every case, so it reveals nothing about other tenants.
 */
public final class InvalidTargetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The one message. */
    public InvalidTargetException() {
        super("The requested resource is unknown or not available to this caller.");
    }
}
