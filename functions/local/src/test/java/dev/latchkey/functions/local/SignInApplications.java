package dev.latchkey.functions.local;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.TestApplications;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.authorize.AuthorizationCode;
import dev.latchkey.core.authorize.AuthorizationCodes;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.infrastructure.application.DynamoDbApplications;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.authorize.DynamoDbAuthorizationCodes;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Registers sign-in applications straight in a local server's table (the applications' management routes are
 * another helper's part) and reads the authorization codes the hosted pages issued.
 */
final class SignInApplications {

    private static final String TABLE = "latchkey";

    private SignInApplications() {
    }

    /** Registers an organization and a public application in it; returns the application. */
    static Application register(LocalServer server, UnaryOperator<TestApplications.Builder> settings) {
        Clock clock = Clock.systemUTC();
        SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
        String organizationId = ids.next(IdPrefix.ORGANIZATION);
        Application application = settings.apply(TestApplications.publicApp().clientId(ids.next(IdPrefix.APPLICATION))
                .organizationId(organizationId)).build();
        try (DynamoDbClient dynamo = client(server)) {
            dynamo.putItem(b -> b.tableName(TABLE).item(Map.of(
                    LatchkeyTable.PK, AttributeValue.fromS(Keys.organizationPk(organizationId)),
                    LatchkeyTable.SK, AttributeValue.fromS(Keys.ORG_SK),
                    "name", AttributeValue.fromS("Acme"), "version", AttributeValue.fromN("0"))));
            new DynamoDbApplications(dynamo, TABLE, new DynamoDbAuditLog(dynamo, TABLE, clock)).create(application,
                    AuditEvent.builder(ids, clock).organizationId(organizationId).actor(Actor.anonymous())
                            .action("application.created").target("application", application.clientId())
                            .requestId("test").build());
        }
        return application;
    }

    /** Consumes the stored code (as the token endpoint would) and returns what it stands for. */
    static AuthorizationCode redeem(LocalServer server, String code) {
        try (DynamoDbClient dynamo = client(server)) {
            return new DynamoDbAuthorizationCodes(dynamo, TABLE).consume(AuthorizationCodes.hash(code)).orElseThrow()
                    .code();
        }
    }

    private static DynamoDbClient client(LocalServer server) {
        return DynamoDbClient.builder().endpointOverride(server.dynoxide().endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l"))).build();
    }
}
