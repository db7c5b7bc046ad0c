package dev.latchkey.infrastructure.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.ApplicationException;
import dev.latchkey.core.application.IdTokenAlgorithm;
import dev.latchkey.core.application.TestApplications;
import dev.latchkey.core.application.TokenEndpointAuthMethod;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DynamoDbApplications} on the emulated table, with the real key design. */
class DynamoDbApplicationsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private static EmulatedTable emulated;
    private static DynamoDbApplications applications;

    private final MutableClock clock = new MutableClock(T0);
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
    private final String organizationId = ids.next(IdPrefix.ORGANIZATION);

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        DynamoDbAuditLog auditLog = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE,
                Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));
        applications = new DynamoDbApplications(emulated.client(), EmulatedTable.TABLE, auditLog);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private void organization() {
        emulated.client().putItem(b -> b.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS(Keys.organizationPk(organizationId)),
                LatchkeyTable.SK, AttributeValue.fromS(Keys.ORG_SK),
                "name", AttributeValue.fromS("Acme"), "version", AttributeValue.fromN("0"))));
    }

    private AuditEvent event(String action) {
        return AuditEvent.builder(ids, clock).organizationId(organizationId).actor(Actor.anonymous())
                .action(action).target("application", "app").requestId("r").build();
    }

    private Application confidential() {
        return TestApplications.confidentialApp().clientId(ids.next(IdPrefix.APPLICATION))
                .organizationId(organizationId)
                .method(TokenEndpointAuthMethod.PRIVATE_KEY_JWT)
                .redirectUris("https://rp.example/cb", "http://127.0.0.1/native")
                .scopes("openid", "email").firstParty(false).algorithm(IdTokenAlgorithm.ES256)
                .secret(new ClientSecret("cs_1", new byte[32], T0, "usr_1", Optional.of(T0.plusSeconds(60)),
                        Optional.empty()))
                .key(new ClientKey("ck_1", "kid-1", "ES256", new byte[] {1, 2, 3}, T0, "usr_1", Optional.empty(),
                        Optional.of(T0)))
                .createdAt(T0).build();
    }

    @Test
    void findWhenCreatedThenEverySettingAndCredentialRoundTripsInOneItem() {
        organization();
        Application created = confidential();

        applications.create(created, event("application.created"));

        Application found = applications.find(created.clientId()).orElseThrow();
        assertThat(found).usingRecursiveComparison().isEqualTo(created);
        assertThat(found.secrets().get(0).hash()).isEqualTo(new byte[32]);
        var item = emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE)
                .key(Keys.application(created.clientId()))).item();
        assertThat(item.get(LatchkeyTable.PK).s()).isEqualTo("APP#" + created.clientId());
        assertThat(item.get(LatchkeyTable.GSI1_PK).s()).isEqualTo("ORG#" + organizationId);
        assertThat(item.get(LatchkeyTable.GSI1_SK).s()).startsWith("APP#");
    }

    @Test
    void createWhenOrganizationMissingThenNotFoundAndNothingWritten() {
        Application created = confidential();

        assertThatThrownBy(() -> applications.create(created, event("application.created")))
                .isInstanceOfSatisfying(ApplicationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(applications.find(created.clientId())).isEmpty();
    }

    @Test
    void createWhenIdExistsThenConflict() {
        organization();
        Application created = confidential();
        applications.create(created, event("application.created"));

        assertThatThrownBy(() -> applications.create(created, event("application.created")))
                .isInstanceOfSatisfying(ApplicationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    }

    @Test
    void updateWhenVersionStaleThenConflictElseWritten() {
        organization();
        Application created = confidential();
        applications.create(created, event("application.created"));
        Application renamed = created.withSettings("Renamed", List.of("https://rp.example/other"), List.of(),
                List.of("openid"), true, IdTokenAlgorithm.RS256);

        applications.update(renamed, event("application.updated"));

        assertThat(applications.find(created.clientId()).orElseThrow()).usingRecursiveComparison()
                .isEqualTo(renamed);
        assertThatThrownBy(() -> applications.update(renamed, event("application.updated")))
                .isInstanceOfSatisfying(ApplicationException.class, e -> assertThat(e.details())
                        .containsEntry("reason", ApplicationException.CHANGED));
        assertThatThrownBy(() -> applications.delete(created, event("application.deleted")))
                .isInstanceOf(ApplicationException.class);
        applications.delete(renamed, event("application.deleted"));
        assertThat(applications.find(created.clientId())).isEmpty();
    }

    @Test
    void createAndDeleteWhenCommittedThenTheMarkerInTheOrganizationsPartitionComesAndGoesWithIt() {
        organization();
        Application created = confidential();

        applications.create(created, event("application.created"));

        var marker = emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(Keys.applicationMarker(organizationId, created.clientId()))).item();
        assertThat(marker.get(LatchkeyTable.PK).s()).isEqualTo("ORG#" + organizationId);
        assertThat(marker.get(LatchkeyTable.SK).s()).isEqualTo("APP#" + created.clientId());
        assertThat(marker.get("type").s()).isEqualTo("APPLICATION_MARKER");
        assertThat(marker).doesNotContainKeys("secrets", "keys", LatchkeyTable.GSI1_PK);
        assertThat(emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(Map.of(LatchkeyTable.PK, AttributeValue.fromS(Keys.organizationPk(organizationId)),
                        LatchkeyTable.SK, AttributeValue.fromS(Keys.ORG_SK)))).item().get("version").n())
                .as("the organization's version moved").isEqualTo("1");

        applications.delete(created, event("application.deleted"));

        assertThat(emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(Keys.applicationMarker(organizationId, created.clientId()))).hasItem()).isFalse();
    }

    @Test
    void listWhenSeveralThenNewestFirstOnlyApplicationsWithoutCredentials() {
        organization();
        Application first = confidential();
        clock.advance(Duration.ofSeconds(1));
        Application second = TestApplications.publicApp().clientId(ids.next(IdPrefix.APPLICATION))
                .organizationId(organizationId).createdAt(clock.instant()).build();
        applications.create(first, event("application.created"));
        applications.create(second, event("application.created"));

        List<Application> listed = applications.list(organizationId, 10);

        assertThat(listed).extracting(Application::clientId).containsExactly(second.clientId(), first.clientId());
        assertThat(listed.get(1).secrets()).isEmpty();
        assertThat(listed.get(1).keys()).isEmpty();
    }

    @Test
    void findWhenMalformedOrUnknownIdThenEmpty() {
        assertThat(applications.find("cli_notanapp")).isEmpty();
        assertThat(applications.find(ids.next(IdPrefix.APPLICATION))).isEmpty();
    }
}
