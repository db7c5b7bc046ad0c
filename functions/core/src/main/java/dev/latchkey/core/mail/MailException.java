package dev.latchkey.core.mail;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/** The mail could not be handed to its transport now (503); it carries no address and no body. */
public final class MailException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private MailException(Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, "Mail delivery temporarily unavailable.", Map.of(), cause);
    }

    /** The transport (a mail service, the outbox folder) failed. */
    public static MailException unavailable(Throwable cause) {
        return new MailException(cause);
    }
}
