package dev.latchkey.infrastructure.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.AuditLogContract;
import dev.latchkey.core.audit.AuditPage;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The DynamoDB audit log against the emulator with the real table: the shared {@link AuditLogContract}
 * plus what only the adapter has (item layout, retention, read budget, failures).
 */
class DynamoDbAuditLogTest extends AuditLogContract {

    private static final MutableClock CLOCK = new MutableClock(NOW);
    private static EmulatedTable emulated;
    private static DynamoDbAuditLog log;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        log = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE, CLOCK);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    @Override
    protected AuditLog log() {
        return log;
    }

    @Override
    protected MutableClock clock() {
        return CLOCK;
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        return emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    }

    @Test
    void recordWritesOneItemWithTheDesignedKeysPlainAttributesAndNoExpiry() {
        CLOCK.set(NOW);
        String org = newOrganization();
        AuditEvent event = recorded(event(org, Instant.parse("2025-01-31T23:59:59.5Z"))
                .actor(Actor.apiKey("key_01JKEY")).action("token.exchanged").target("api_key", "key_01JKEY")
                .detail("scope", "org:read"));

        Map<String, AttributeValue> item = item("AUDIT#" + org + "#2025-01",
                "2025-01-31T23:59:59.500Z#" + event.eventId());

        assertThat(item).containsOnlyKeys("pk", "sk", "eventId", "organizationId", "actorType", "actorId", "action",
                "targetType", "targetId", "occurredAt", "sourceIp", "requestId", "outcome", "details");
        assertThat(item.get("organizationId").s()).isEqualTo(org);
        assertThat(item.get("actorType").s()).isEqualTo("API_KEY");
        assertThat(item.get("actorId").s()).isEqualTo("key_01JKEY");
        assertThat(item.get("action").s()).isEqualTo("token.exchanged");
        assertThat(item.get("occurredAt").s()).isEqualTo("2025-01-31T23:59:59.500Z");
        assertThat(item.get("outcome").s()).isEqualTo("SUCCESS");
        assertThat(item.get("details").m()).containsOnlyKeys("method", "scope");
    }

    @Test
    void eventWithoutOrganizationGoesToTheSystemPartition() {
        CLOCK.set(NOW);
        AuditEvent event = AuditEvent.builder().eventId("evt_01JSYSTEMPARTITION" + Long.toHexString(System.nanoTime()))
                .actor(Actor.system("rotate-keys")).action("signing_key.rotated")
                .occurredAt(Instant.parse("2030-07-01T00:00:00Z")).requestId("req_1").build();
        log.record(event);

        Map<String, AttributeValue> item = item("AUDIT#system#2030-07", event.orderKey());
        assertThat(item).doesNotContainKeys("organizationId", "sourceIp", "targetType", "details");
    }

    @Test
    void retentionWhenConfiguredSetsExpiresAtAndExpiredEventsAreNotReturned() {
        CLOCK.set(NOW);
        var expiring = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE, CLOCK,
                Optional.of(Duration.ofDays(30)));
        String org = newOrganization();
        AuditEvent old = event(org, NOW.minus(Duration.ofDays(31))).build();
        AuditEvent recent = event(org, NOW.minus(Duration.ofDays(1))).build();
        expiring.record(old);
        expiring.record(recent);

        assertThat(item("AUDIT#" + org + "#2025-03", recent.orderKey()).get("expiresAt").n())
                .isEqualTo(Long.toString(recent.occurredAt().plus(Duration.ofDays(30)).getEpochSecond()));
        // DynamoDB deletes expired items lazily: the read skips them itself.
        assertThat(expiring.find(org, AuditQuery.latest()).events()).containsExactly(recent);
        assertThatThrownBy(() -> new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE, CLOCK,
                Optional.of(Duration.ZERO))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filteredPageStopsAtTheReadBudgetShortOrEmptyAndTheCursorContinuesExactly() {
        CLOCK.set(NOW);
        var tight = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE, CLOCK, Optional.empty(), 2, 2);
        String org = newOrganization();
        List<AuditEvent> bob = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            AuditEvent.Builder event = event(org, NOW.minusSeconds(1000 - i));
            if (i == 0 || i == 1 || i == 6) {
                event.actor(Actor.user("usr_01JBOB")).outcome(Outcome.FAILURE);
            }
            AuditEvent written = event.build();
            tight.record(written);
            if (written.actor().id().equals("usr_01JBOB")) {
                bob.add(written);
            }
        }
        Collections.reverse(bob);
        AuditQuery query = AuditQuery.builder().actorId("usr_01JBOB").limit(2).from(NOW.minusSeconds(3600)).build();

        // Each request evaluates limit + 1 = 3 items, two requests per page: the first page reads the six
        // newest events, finds one of Bob's, and stops short with a cursor.
        AuditPage first = tight.find(org, query);
        assertThat(first.events()).containsExactly(bob.get(0));
        assertThat(first.nextCursor()).isPresent();

        List<AuditEvent> found = new ArrayList<>(first.events());
        AuditPage page = first;
        for (int pages = 0; page.nextCursor().isPresent(); pages++) {
            assertThat(pages).isLessThan(20);
            page = tight.find(org, query.continueAt(page.nextCursor().get()));
            found.addAll(page.events());
        }
        assertThat(found).containsExactlyElementsOf(bob);
    }

    @Test
    void transactWriteItemWritesTheEventAtomicallyWithTheChangeItAudits() {
        CLOCK.set(NOW);
        String org = newOrganization();
        AuditEvent created = event(org, NOW.minusSeconds(1)).action("organization.created").build();
        var change = TransactWriteItem.builder().put(p -> p.tableName(EmulatedTable.TABLE)
                .item(Map.of("pk", AttributeValue.fromS("ORG#" + org), "sk", AttributeValue.fromS("ORG")))
                .conditionExpression("attribute_not_exists(pk)")).build();

        emulated.client().transactWriteItems(b -> b.transactItems(change, log.transactWriteItem(created)));
        assertThat(log.find(org, AuditQuery.latest()).events()).containsExactly(created);

        AuditEvent again = event(org, NOW).action("organization.created").build();
        assertThatThrownBy(() -> emulated.client().transactWriteItems(b -> b.transactItems(change,
                log.transactWriteItem(again)))).isInstanceOf(TransactionCanceledException.class);
        assertThat(log.find(org, AuditQuery.latest()).events()).containsExactly(created);
    }

    @Test
    void detailNamedPasswordIsRejectedAtConstructionSoNothingReachesTheTable() {
        String org = newOrganization();
        assertThatThrownBy(() -> event(org, NOW).detail("password", "hunter2hunter2").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hunter2");
        assertThat(log.find(org, AuditQuery.latest()).events()).isEmpty();
    }

    @Test
    void missingTableIsStoreUnavailable() {
        var nowhere = new DynamoDbAuditLog(emulated.client(), "no-such-table", CLOCK);
        String org = newOrganization();
        assertThatThrownBy(() -> nowhere.record(event(org, NOW).build()))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> nowhere.find(org, AuditQuery.latest()))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void emulatorDownIsStoreUnavailableAndNeverAnEmptyPage() {
        try (EmulatedTable down = EmulatedTable.start()) {
            var unreachable = new DynamoDbAuditLog(down.client(), EmulatedTable.TABLE, CLOCK);
            String org = newOrganization();
            unreachable.record(event(org, NOW).build());
            down.dynoxide().stop();

            assertThatThrownBy(() -> unreachable.record(event(org, NOW).build()))
                    .isInstanceOfSatisfying(StoreUnavailableException.class,
                            e -> assertThat(e.getMessage()).doesNotContain(org));
            assertThatThrownBy(() -> unreachable.find(org, AuditQuery.latest()))
                    .isInstanceOf(StoreUnavailableException.class);
        }
    }
}
