package dev.latchkey.core.keys;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;

/** No key signs yet (the rotation has never run): tokens cannot be issued, 503 until it has. */
public final class NoActiveKeyException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    /** The exception. */
    public NoActiveKeyException() {
        super(ErrorCode.SERVICE_UNAVAILABLE, "No signing key is active yet.");
    }
}
