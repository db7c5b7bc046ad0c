package dev.latchkey.core.org;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an organization's members.
 *
 * @param members in user id order
 * @param nextCursor present when there may be more
 */
public record MemberPage(List<Member> members, Optional<String> nextCursor) {

    /** Copies the list. */
    public MemberPage {
        members = List.copyOf(members);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
