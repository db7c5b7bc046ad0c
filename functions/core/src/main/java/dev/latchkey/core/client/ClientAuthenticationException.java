package dev.latchkey.core.client;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Objects;

/**
 * A client failed to authenticate: {@code AUTHENTICATION_FAILED}, which the token endpoint answers as RFC 6749
 * §5.2 {@code invalid_client} (401). The message is one fixed text for every cause, so a caller cannot tell an
 * unknown client from a wrong secret, a bad signature or a revoked key; {@link #description()} names the failed
 * rule only where {@link ClientAuthenticationFailure#disclosure()} allows it; {@link #reason()} is for the audit
 * event and tests. Neither the secret nor the assertion, nor any value taken from them, is kept.
 */
public final class ClientAuthenticationException extends LatchkeyException {

    /** The one description every failure carries. */
    public static final String MESSAGE = "Client authentication failed.";

    private static final long serialVersionUID = 1L;

    private final ClientAuthenticationFailure reason;

    /** @param reason why, for the audit event */
    public ClientAuthenticationException(ClientAuthenticationFailure reason) {
        super(ErrorCode.AUTHENTICATION_FAILED, MESSAGE);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why authentication failed; for the audit event, never shown to the caller as such. */
    public ClientAuthenticationFailure reason() {
        return reason;
    }

    /** The {@code error_description} for the caller: the rule's disclosure, else {@link #MESSAGE}. */
    public String description() {
        return reason.disclosure().orElse(MESSAGE);
    }
}
