package dev.latchkey.core.audit;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * In-memory {@link AuditLog} for unit tests of use cases, with the same query semantics, cursor
 * checks and duplicate refusal as the DynamoDB adapter ({@link AuditLogContract} runs against
 * both). Tests read what was recorded through {@link #events()}, and can make the log fail.
 */
public final class InMemoryAuditLog implements AuditLog {

    private final Clock clock;
    private final List<AuditEvent> events = new ArrayList<>();
    private volatile RuntimeException failure;

    /** @param clock the clock that ends queries without {@code to} */
    public InMemoryAuditLog(Clock clock) {
        this.clock = clock;
    }

    /** Makes every later call throw {@code value}; {@code null} heals it. */
    public InMemoryAuditLog failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    /** Every recorded event, in recording order. */
    public synchronized List<AuditEvent> events() {
        return List.copyOf(events);
    }

    /** The recorded events with this action, in recording order. */
    public synchronized List<AuditEvent> events(String action) {
        return events.stream().filter(event -> event.action().equals(action)).toList();
    }

    /** The last recorded event. */
    public synchronized Optional<AuditEvent> last() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }

    @Override
    public synchronized void record(AuditEvent event) {
        failIfBroken();
        String scope = scope(event);
        boolean duplicate = events.stream()
                .anyMatch(e -> scope(e).equals(scope) && e.orderKey().equals(event.orderKey()));
        if (duplicate) {
            throw AuditException.duplicate();
        }
        events.add(event);
    }

    @Override
    public AuditPage find(String organizationId, AuditQuery query) {
        return page(AuditLog.scopeOf(organizationId), query);
    }

    @Override
    public AuditPage findWithoutOrganization(AuditQuery query) {
        return page(NO_ORGANIZATION, query);
    }

    private synchronized AuditPage page(String scope, AuditQuery query) {
        failIfBroken();
        List<YearMonth> months = query.months(clock);
        Optional<AuditCursor> cursor = query.cursor().map(text -> AuditCursor.decode(text, scope));
        if (cursor.isPresent() && (months.isEmpty() || cursor.get().month().isAfter(months.get(0)))) {
            throw AuditException.invalidCursor();
        }
        List<AuditEvent> candidates = events.stream()
                .filter(event -> scope(event).equals(scope))
                .filter(event -> months.contains(monthOf(event)))
                .filter(query::matches)
                .filter(event -> cursor.map(c -> before(event, c)).orElse(true))
                .sorted(Comparator.comparing(AuditEvent::orderKey).reversed())
                .toList();
        if (candidates.size() <= query.limit()) {
            return new AuditPage(candidates, Optional.empty());
        }
        List<AuditEvent> page = candidates.subList(0, query.limit());
        return new AuditPage(page, Optional.of(AuditCursor.after(scope, page.get(page.size() - 1)).encode()));
    }

    private static boolean before(AuditEvent event, AuditCursor cursor) {
        return cursor.after().map(after -> event.orderKey().compareTo(after) < 0)
                .orElse(!monthOf(event).isAfter(cursor.month()));
    }

    private static YearMonth monthOf(AuditEvent event) {
        return YearMonth.from(event.occurredAt().atOffset(ZoneOffset.UTC));
    }

    private static String scope(AuditEvent event) {
        return event.organizationId().orElse(NO_ORGANIZATION);
    }

    private void failIfBroken() {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }
}
