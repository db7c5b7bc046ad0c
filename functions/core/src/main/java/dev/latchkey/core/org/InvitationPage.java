package dev.latchkey.core.org;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an organization's invitations.
 *
 * @param invitations oldest first (invitation ids sort by creation time)
 * @param nextCursor present when there may be more
 */
public record InvitationPage(List<Invitation> invitations, Optional<String> nextCursor) {

    /** Copies the list. */
    public InvitationPage {
        invitations = List.copyOf(invitations);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
