package dev.latchkey.infrastructure.testing;

import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.emulator.Dynoxide;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB emulator with Latchkey's table, created from {@link LatchkeyTable} — the real key
 * design — for adapter tests. One per test class; close it in {@code @AfterAll}.
 */
public final class EmulatedTable implements AutoCloseable {

    /** The table name tests use. */
    public static final String TABLE = "latchkey-test";

    private final Dynoxide dynoxide;
    private final DynamoDbClient client;

    private EmulatedTable(Dynoxide dynoxide) {
        this.dynoxide = dynoxide;
        this.client = DynamoDbClient.builder()
                .endpointOverride(dynoxide.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        LatchkeyTable.ensureExists(client, TABLE);
    }

    /** Starts an in-memory emulator and creates the table. */
    public static EmulatedTable start() {
        return new EmulatedTable(Dynoxide.startInMemory());
    }

    /** The emulator process. */
    public Dynoxide dynoxide() {
        return dynoxide;
    }

    /** A client for it. */
    public DynamoDbClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        dynoxide.close();
    }
}
