package dev.latchkey.core.resource;

/**
 * The requested {@code scope} asks for more than is granted on the resource, or is malformed. The OAuth endpoints
 * answer RFC 6749 §5.2 {@code invalid_scope}; the message is the same in every case.
 */
public final class InvalidScopeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The one message. */
    public InvalidScopeException() {
        super("The requested scope is malformed or exceeds what is granted.");
    }
}
