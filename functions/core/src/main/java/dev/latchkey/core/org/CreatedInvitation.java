package dev.latchkey.core.org;

import java.util.Objects;

/**
 * A new invitation, and whether its mail was handed to the transport (the token is in the mail only).
 *
 * @param invitation what was stored
 * @param mailSent false when the mail could not be sent; the invitation stands, revoke it and invite again
 */
public record CreatedInvitation(Invitation invitation, boolean mailSent) {

    /** Checks nothing is missing. */
    public CreatedInvitation {
        Objects.requireNonNull(invitation, "invitation");
    }
}
