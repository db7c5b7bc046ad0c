package dev.latchkey.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AuditLog} does, run against the in-memory fake ({@code InMemoryAuditLogTest})
 * and the DynamoDB adapter ({@code DynamoDbAuditLogTest} in infrastructure). Each test works in a
 * fresh organization, so implementations may share one store across tests.
 */
public abstract class AuditLogContract {

    /** Where the clock stands unless a test moves it. */
    protected static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");

    private final IdGenerator ids = new SortableIdGenerator(new MutableClock(NOW), new SecureRandom());

    /** The log under test. */
    protected abstract AuditLog log();

    /** The clock the log under test reads "now" from; each test sets it to {@link #NOW} first. */
    protected abstract MutableClock clock();

    /** A new organization id, so tests sharing a store see only their own events. */
    protected String newOrganization() {
        return ids.next(IdPrefix.ORGANIZATION);
    }

    /** An event of {@code organizationId} at {@code at}: a successful password login of one user. */
    protected AuditEvent.Builder event(String organizationId, Instant at) {
        return AuditEvent.builder()
                .eventId(ids.next(IdPrefix.EVENT))
                .organizationId(organizationId)
                .actor(Actor.user("usr_01JALICE"))
                .action("auth.login.succeeded")
                .occurredAt(at)
                .sourceIp("203.0.113.7")
                .requestId("req_01JTEST")
                .detail("method", "password");
    }

    /** Records and returns the event. */
    protected AuditEvent recorded(AuditEvent.Builder builder) {
        AuditEvent event = builder.build();
        log().record(event);
        return event;
    }

    /** Every event of a query, following cursors; fails after 50 pages. */
    protected List<AuditPage> pages(String organizationId, AuditQuery query) {
        List<AuditPage> pages = new ArrayList<>();
        AuditQuery next = query;
        for (int i = 0; i < 50; i++) {
            AuditPage page = log().find(organizationId, next);
            pages.add(page);
            if (page.nextCursor().isEmpty()) {
                return pages;
            }
            next = query.continueAt(page.nextCursor().get());
        }
        throw new AssertionError("more than 50 pages");
    }

    /** All events over all pages. */
    protected List<AuditEvent> all(String organizationId, AuditQuery query) {
        return pages(organizationId, query).stream().flatMap(page -> page.events().stream()).toList();
    }

    private void resetClock() {
        clock().set(NOW);
    }

    @Test
    public void recordThenFindReturnsTheEventAsRecorded() {
        resetClock();
        String org = newOrganization();
        AuditEvent event = recorded(event(org, Instant.parse("2025-03-10T11:59:59.123Z"))
                .target("session", "ses_01JSESSION").outcome(Outcome.SUCCESS).detail("user_agent", "curl/8.5"));

        AuditPage page = log().find(org, AuditQuery.latest());

        assertThat(page.events()).containsExactly(event);
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    public void findReturnsNewestFirstAcrossAMonthBoundary() {
        resetClock();
        String org = newOrganization();
        AuditEvent january = recorded(event(org, Instant.parse("2025-01-10T08:00:00Z")));
        AuditEvent lastOfJanuary = recorded(event(org, Instant.parse("2025-01-31T23:59:59.999Z")));
        AuditEvent firstOfFebruary = recorded(event(org, Instant.parse("2025-02-01T00:00:00.000Z")));
        AuditEvent march = recorded(event(org, Instant.parse("2025-03-01T00:00:00.001Z")));

        assertThat(log().find(org, AuditQuery.latest()).events())
                .containsExactly(march, firstOfFebruary, lastOfJanuary, january);
    }

    @Test
    public void findWithTimeRangeReturnsEventsFromInclusiveToExclusive() {
        resetClock();
        String org = newOrganization();
        Instant from = Instant.parse("2025-01-31T23:00:00Z");
        Instant to = Instant.parse("2025-02-01T01:00:00Z");
        recorded(event(org, from.minusMillis(1)));
        AuditEvent atFrom = recorded(event(org, from));
        AuditEvent inside = recorded(event(org, Instant.parse("2025-02-01T00:30:00Z")));
        AuditEvent justBeforeTo = recorded(event(org, to.minusMillis(1)));
        recorded(event(org, to));

        assertThat(log().find(org, AuditQuery.builder().from(from).to(to).build()).events())
                .containsExactly(justBeforeTo, inside, atFrom);
    }

    @Test
    public void findWithActionPrefixOrExactActionReturnsOnlyThoseActions() {
        resetClock();
        String org = newOrganization();
        AuditEvent succeeded = recorded(event(org, NOW.minusSeconds(40)).action("auth.login.succeeded"));
        AuditEvent failed = recorded(event(org, NOW.minusSeconds(30)).action("auth.login.failed")
                .outcome(Outcome.FAILURE));
        recorded(event(org, NOW.minusSeconds(20)).action("authz.denied").outcome(Outcome.FAILURE));
        recorded(event(org, NOW.minusSeconds(10)).action("api_key.created"));

        assertThat(log().find(org, AuditQuery.builder().action("auth.").build()).events())
                .containsExactly(failed, succeeded);
        assertThat(log().find(org, AuditQuery.builder().action("auth.login.failed").build()).events())
                .containsExactly(failed);
    }

    @Test
    public void findWithActorReturnsOnlyThatActorsEvents() {
        resetClock();
        String org = newOrganization();
        AuditEvent alice = recorded(event(org, NOW.minusSeconds(30)));
        recorded(event(org, NOW.minusSeconds(20)).actor(Actor.user("usr_01JBOB")));
        AuditEvent key = recorded(event(org, NOW.minusSeconds(10)).actor(Actor.apiKey("key_01JKEY"))
                .action("token.exchanged"));

        assertThat(log().find(org, AuditQuery.builder().actorId("usr_01JALICE").build()).events())
                .containsExactly(alice);
        assertThat(log().find(org, AuditQuery.builder().actorId("key_01JKEY").build()).events())
                .containsExactly(key);
    }

    @Test
    public void paginationWithLimitTwoOverFiveEventsReturnsEachExactlyOnceInOrder() {
        resetClock();
        String org = newOrganization();
        List<AuditEvent> recorded = new ArrayList<>();
        for (Instant at : List.of(Instant.parse("2025-01-31T23:59:58Z"), Instant.parse("2025-01-31T23:59:59Z"),
                Instant.parse("2025-02-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:01Z"),
                Instant.parse("2025-02-01T00:00:02Z"))) {
            recorded.add(recorded(event(org, at)));
        }

        List<AuditPage> pages = pages(org, AuditQuery.builder().limit(2).build());

        assertThat(pages).extracting(page -> page.events().size()).containsExactly(2, 2, 1);
        Collections.reverse(recorded);
        assertThat(pages.stream().flatMap(page -> page.events().stream())).containsExactlyElementsOf(recorded);
    }

    @Test
    public void paginationWithFiltersContinuesWhereThePreviousPageEnded() {
        resetClock();
        String org = newOrganization();
        List<AuditEvent> failures = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            recorded(event(org, NOW.minusSeconds(100 - i * 10)));
            failures.add(recorded(event(org, NOW.minusSeconds(95 - i * 10)).action("auth.login.failed")
                    .outcome(Outcome.FAILURE)));
        }

        Collections.reverse(failures);
        assertThat(all(org, AuditQuery.builder().action("auth.login.failed").limit(3).build()))
                .containsExactlyElementsOf(failures);
    }

    @Test
    public void cursorFromOneOrganizationIsRefusedForAnotherAndNeverShowsItsEvents() {
        resetClock();
        String orgA = newOrganization();
        String orgB = newOrganization();
        for (int i = 0; i < 3; i++) {
            recorded(event(orgA, NOW.minusSeconds(30 - i)));
        }
        AuditEvent ofB = recorded(event(orgB, NOW.minusSeconds(60)));
        String cursorOfA = log().find(orgA, AuditQuery.builder().limit(1).build()).nextCursor().orElseThrow();

        assertValidationError(() -> log().find(orgB, AuditQuery.builder().cursor(cursorOfA).build()));
        assertValidationError(() -> log().findWithoutOrganization(AuditQuery.builder().cursor(cursorOfA).build()));

        // The same position re-issued for B by hand reads B's partitions only.
        AuditCursor positionOfA = AuditCursor.decode(cursorOfA, orgA);
        String forged = new AuditCursor(orgB, positionOfA.month(), positionOfA.after()).encode();
        assertThat(log().find(orgB, AuditQuery.builder().cursor(forged).build()).events()).containsExactly(ofB);
    }

    @Test
    public void tamperedCursorIsAValidationError() {
        resetClock();
        String org = newOrganization();
        for (int i = 0; i < 3; i++) {
            recorded(event(org, NOW.minusSeconds(30 - i)));
        }
        String cursor = log().find(org, AuditQuery.builder().limit(1).build()).nextCursor().orElseThrow();
        String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        assertThat(cursor).startsWith("djF8");
        List<String> tampered = List.of(
                "not a cursor",
                "e" + cursor.substring(1),
                cursor + "=",
                encode(plain.replace("v1|", "v2|")),
                encode(plain.replace("|2025-03|", "|2025-02|")),
                encode(plain.replace("|2025-03|", "|2025-13|")),
                encode(plain + "|extra"),
                encode(plain.substring(0, plain.lastIndexOf('#')) + "#evt_' OR 1=1"),
                encode("v1|" + org + "|2025-03|2025-03-10T11:59:59.5Z#evt_X"),
                encode("v1|" + AuditLog.NO_ORGANIZATION + "|2025-03|"),
                encode("v1|" + org + "|2099-01|"),
                "A".repeat(600));

        for (String bad : tampered) {
            assertValidationError(() -> log().find(org, AuditQuery.builder().cursor(bad).build()));
        }
    }

    @Test
    public void recordingTheSameEventTwiceIsAConflictAndKeepsTheFirst() {
        resetClock();
        String org = newOrganization();
        AuditEvent first = recorded(event(org, NOW.minusSeconds(5)));
        AuditEvent again = AuditEvent.builder().eventId(first.eventId()).organizationId(org)
                .actor(Actor.user("usr_01JMALLORY")).action("auth.login.succeeded").occurredAt(first.occurredAt())
                .requestId("req_other").build();

        assertThatThrownBy(() -> log().record(again)).isInstanceOfSatisfying(AuditException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(log().find(org, AuditQuery.latest()).events()).containsExactly(first);
    }

    @Test
    public void eventsWithoutOrganizationAreReadOnlyApartFromEveryTenant() {
        clock().set(Instant.parse("2031-06-15T00:00:00Z"));
        Instant from = Instant.parse("2031-06-01T00:00:00Z");
        AuditEvent unknownEmail = recorded(AuditEvent.builder().eventId(ids.next(IdPrefix.EVENT))
                .actor(Actor.anonymous()).action("auth.login.failed").outcome(Outcome.FAILURE)
                .occurredAt(Instant.parse("2031-06-14T09:00:00Z")).sourceIp("2001:db8::1").requestId("req_01JX")
                .detail("reason", "unknown_account"));

        assertThat(log().findWithoutOrganization(AuditQuery.builder().from(from).build()).events())
                .containsExactly(unknownEmail);
        assertThat(log().find(newOrganization(), AuditQuery.builder().from(from).build()).events()).isEmpty();
        assertValidationError(() -> log().find(AuditLog.NO_ORGANIZATION, AuditQuery.latest()));
        assertValidationError(() -> log().find("AUDIT#x", AuditQuery.latest()));
    }

    @Test
    public void withoutFromTheQueryReachesBackTwentyFourMonthsAndNoFurther() {
        resetClock();
        String org = newOrganization();
        AuditEvent oldest = recorded(event(org, Instant.parse("2023-04-01T00:00:00Z")));
        recorded(event(org, Instant.parse("2023-03-31T23:59:59.999Z")));
        AuditEvent laterThisMonth = recorded(event(org, Instant.parse("2025-03-31T00:00:00Z")));

        assertThat(log().find(org, AuditQuery.latest()).events()).containsExactly(laterThisMonth, oldest);
        assertThat(AuditQuery.latest().months(clock())).hasSize(AuditQuery.MAX_MONTHS)
                .startsWith(YearMonth.of(2025, 3)).endsWith(YearMonth.of(2023, 4));
    }

    @Test
    public void rangeOverTwentyFourMonthsIsAValidationError() {
        resetClock();
        String org = newOrganization();
        assertValidationError(() -> log().find(org, AuditQuery.builder()
                .from(Instant.parse("2023-01-01T00:00:00Z")).to(Instant.parse("2025-01-01T00:00:01Z")).build()));
        assertValidationError(() -> log().find(org, AuditQuery.builder()
                .from(Instant.parse("2020-01-01T00:00:00Z")).build()));
        assertThat(log().find(org, AuditQuery.builder()
                .from(Instant.parse("2023-01-01T00:00:00Z")).to(Instant.parse("2025-01-01T00:00:00Z")).build())
                .events()).isEmpty();
    }

    @Test
    public void cursorOfANarrowerRangeStillContinuesCorrectlyWhenTheRangeChanges() {
        resetClock();
        String org = newOrganization();
        AuditEvent a = recorded(event(org, Instant.parse("2025-02-10T00:00:00Z")));
        AuditEvent b = recorded(event(org, Instant.parse("2025-02-11T00:00:00Z")));
        AuditEvent c = recorded(event(org, Instant.parse("2025-02-12T00:00:00Z")));
        AuditPage first = log().find(org, AuditQuery.builder().limit(1).build());
        assertThat(first.events()).containsExactly(c);
        String cursor = first.nextCursor().orElseThrow();

        assertThat(log().find(org, AuditQuery.builder().cursor(cursor).to(Instant.parse("2025-02-11T12:00:00Z"))
                .build()).events()).containsExactly(b, a);
        assertThat(log().find(org, AuditQuery.builder().cursor(cursor).from(Instant.parse("2025-02-12T00:00:00Z"))
                .build()).events()).isEmpty();
    }

    private static String encode(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Asserts a 400 {@code VALIDATION_ERROR} from the log. */
    protected static void assertValidationError(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LatchkeyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }
}
