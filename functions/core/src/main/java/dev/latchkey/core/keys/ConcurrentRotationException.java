package dev.latchkey.core.keys;

/** Another rotation changed the key ring first; this one wrote nothing. */
public final class ConcurrentRotationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param expectedVersion the version this change was based on */
    public ConcurrentRotationException(long expectedVersion) {
        super("key ring changed since version " + expectedVersion);
    }
}
