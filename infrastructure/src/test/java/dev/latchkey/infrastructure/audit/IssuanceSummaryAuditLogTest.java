package dev.latchkey.infrastructure.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.AuditLogContract;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit log with issuance summaries (as the runtime builds it): the whole {@link AuditLogContract} still holds
 * with two partitions per month merged, and successful token issues of one minute and group become one summary
 * item per source address ({@code ISSUED#…}), always one unconditional write, while failures stay events of their
 * own.
 */
class IssuanceSummaryAuditLogTest extends AuditLogContract {

    private static final MutableClock CLOCK = new MutableClock(NOW);
    private static EmulatedTable emulated;
    private static DynamoDbAuditLog log;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        log = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE, CLOCK).withIssuanceSummaries();
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

    private AuditEvent.Builder issued(String org, Instant at, String ip, String requestId) {
        return event(org, at).actor(Actor.client("cli_01JWORKER")).action("token.client_credentials")
                .target("client", "cli_01JWORKER").sourceIp(ip).requestId(requestId).details(Map.of(
                        "resource_id", "res_01JAPI", "scope", "read"));
    }

    private long items(String pk) {
        return emulated.client().query(b -> b.tableName(EmulatedTable.TABLE).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))).count();
    }

    @Test
    @DisplayName("three tokens of one client in one minute from one address: one summary item, read as one event")
    void successfulIssuesWhenSameMinuteThenOneSummary() {
        CLOCK.set(NOW);
        String org = newOrganization();
        log.record(issued(org, Instant.parse("2025-03-10T11:58:05Z"), "203.0.113.7", "req_1").build());
        log.record(issued(org, Instant.parse("2025-03-10T11:58:20Z"), "203.0.113.7", "req_2").build());
        log.record(issued(org, Instant.parse("2025-03-10T11:58:59.999Z"), "203.0.113.7", "req_3").build());

        assertThat(items("ISSUED#" + org + "#2025-03")).isEqualTo(1);
        assertThat(items("AUDIT#" + org + "#2025-03")).isZero();
        List<AuditEvent> events = all(org, AuditQuery.builder().build());
        assertThat(events).hasSize(1);
        AuditEvent summary = events.get(0);
        assertThat(summary.action()).isEqualTo("token.client_credentials");
        assertThat(summary.actor()).isEqualTo(Actor.client("cli_01JWORKER"));
        assertThat(summary.occurredAt()).isEqualTo(Instant.parse("2025-03-10T11:58:00Z"));
        assertThat(summary.requestId()).isEqualTo("req_1");
        assertThat(summary.sourceIp()).contains("203.0.113.7");
        assertThat(summary.details()).containsEntry("count", "3").containsEntry("resource_id", "res_01JAPI")
                .containsEntry("scope", "read").containsEntry("last_at", "2025-03-10T11:58:59.999Z")
                .containsEntry("last_request_id", "req_3").doesNotContainKey("source_ips");
    }

    @Test
    @DisplayName("another minute, scope or outcome: another summary, or an event of its own for a failure")
    void differentGroupOrFailureWhenRecordedThenSeparate() {
        CLOCK.set(NOW);
        String org = newOrganization();
        log.record(issued(org, Instant.parse("2025-03-10T11:58:05Z"), "203.0.113.7", "req_1").build());
        log.record(issued(org, Instant.parse("2025-03-10T11:59:05Z"), "203.0.113.7", "req_2").build());
        log.record(issued(org, Instant.parse("2025-03-10T11:59:06Z"), "203.0.113.7", "req_3")
                .detail("scope", "read write").build());
        AuditEvent failure = issued(org, Instant.parse("2025-03-10T11:59:07Z"), "203.0.113.7", "req_4")
                .outcome(Outcome.FAILURE).build();
        log.record(failure);

        List<AuditEvent> events = all(org, AuditQuery.builder().build());
        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isEqualTo(failure);
        assertThat(events).extracting(e -> e.details().get("count")).containsExactly(null, "1", "1", "1");
        assertThat(items("AUDIT#" + org + "#2025-03")).isEqualTo(1);
    }

    @Test
    @DisplayName("tokens from many addresses in one minute: one summary per address, each one write, none lost")
    void manyAddressesWhenSameMinuteThenOneSummaryEachAndNoneLost() {
        CLOCK.set(NOW);
        String org = newOrganization();
        for (int i = 1; i <= 8; i++) {
            log.record(issued(org, Instant.parse("2025-03-10T11:58:0" + i + "Z"), "198.51.100." + i, "req_" + i)
                    .build());
        }
        log.record(issued(org, Instant.parse("2025-03-10T11:58:30Z"), "198.51.100.2", "req_9").build());

        assertThat(items("ISSUED#" + org + "#2025-03")).isEqualTo(8);
        assertThat(items("AUDIT#" + org + "#2025-03")).isZero();
        List<AuditEvent> events = all(org, AuditQuery.builder().action("token.client_credentials").build());
        assertThat(events).hasSize(8).allSatisfy(e -> assertThat(e.details()).containsKey("count"));
        assertThat(events).extracting(e -> e.sourceIp().orElseThrow()).containsExactlyInAnyOrder(
                "198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.5", "198.51.100.6",
                "198.51.100.7", "198.51.100.8");
        assertThat(events.stream().filter(e -> e.sourceIp().orElseThrow().equals("198.51.100.2")).findFirst()
                .orElseThrow().details()).containsEntry("count", "2").containsEntry("last_request_id", "req_9");
    }
}
