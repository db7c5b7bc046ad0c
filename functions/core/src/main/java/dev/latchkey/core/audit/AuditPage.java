package dev.latchkey.core.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of audit events, newest first.
 *
 * <p>A page may hold fewer events than the limit while {@link #nextCursor} is present (a filtered
 * query stopped at its read budget), and a cursor may lead to an empty page: the end of the results
 * is a page <em>without</em> a cursor, never a short page.
 *
 * @param events the events, newest first
 * @param nextCursor where the next page starts, opaque to clients
 */
public record AuditPage(List<AuditEvent> events, Optional<String> nextCursor) {

    /** Copies the list. */
    public AuditPage {
        events = List.copyOf(events);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
