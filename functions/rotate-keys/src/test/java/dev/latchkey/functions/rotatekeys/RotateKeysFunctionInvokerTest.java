package dev.latchkey.functions.rotatekeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.token.SigningKeyState;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduled event through {@code FunctionInvoker}, as EventBridge invokes the function. */
class RotateKeysFunctionInvokerTest {

    private static EmulatedTable table;
    private static LambdaHarness lambda;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        var spec = ApiCatalog.function(RotateKeysApplication.FUNCTION);
        assertThat(spec.isHttp()).isFalse();
        lambda = LambdaHarness.start(spec.mainClass(), spec.name(), LambdaHarness.localVariables(table));
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void scheduledEventBootstrapsTheRingThenIsANoOpAndIsAudited() throws IOException {
        var events = Events.of("rotate-keys");
        assertThat(events).hasSize(1);
        String event = Files.readString(events.get(0));

        var first = Json.mapper().readTree(lambda.invokeRaw(event));
        assertThat(first.path("changed").asBoolean()).isTrue();
        assertThat(first.path("created")).as("an active and a next key of ES256 and of RS256").hasSize(4);
        String active = first.path("active_kid").asString();
        String idTokenKid = first.path("id_token_kid").asString();
        assertThat(idTokenKid).isNotEmpty().isNotEqualTo(active);
        assertThat(first.path("activated").asString()).isEqualTo(active);

        var second = Json.mapper().readTree(lambda.invokeRaw(event));
        assertThat(second.path("changed").asBoolean()).isFalse();
        assertThat(second.path("active_kid").asString()).isEqualTo(active);

        var ring = new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE).load();
        assertThat(ring.keys()).filteredOn(k -> k.state() == SigningKeyState.ACTIVE).extracting(k -> k.kid())
                .containsExactlyInAnyOrder(active, idTokenKid);
        assertThat(ring.next()).isPresent();

        var audit = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, Clock.systemUTC())
                .findWithoutOrganization(AuditQuery.latest());
        assertThat(audit.events()).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("signing_key.rotated");
            assertThat(e.requestId()).isEqualTo("cdc73f9d-aea9-11e3-9d5a-835b769c0d9c");
        });
    }
}
