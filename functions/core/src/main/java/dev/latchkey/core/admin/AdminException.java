package dev.latchkey.core.admin;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;

/** A refused operator command (admin CLI); messages name ids, never emails or secrets. */
public final class AdminException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private AdminException(ErrorCode code, String message) {
        super(code, message);
    }

    /** {@code bootstrap} on a deployment that already has accounts. */
    public static AdminException notEmpty() {
        return new AdminException(ErrorCode.CONFLICT,
                "The deployment already has accounts; bootstrap runs only on an empty one.");
    }

    /** No such user, organization or key. */
    public static AdminException notFound(String what) {
        return new AdminException(ErrorCode.NOT_FOUND, "No such " + what + ".");
    }
}
