package dev.latchkey.infrastructure.testing;

import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.emulator.Dynoxide;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
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

    /**
     * Another client for the same emulator that counts every request it sends by operation name
     * ({@code GetItem}, {@code TransactWriteItems}…) into {@code requests}, for tests that prove how many
     * requests an operation costs. The caller closes it.
     */
    public DynamoDbClient countingClient(Map<String, AtomicInteger> requests) {
        return DynamoDbClient.builder()
                .endpointOverride(dynoxide.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        requests.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                                name -> new AtomicInteger()).incrementAndGet();
                    }
                }))
                .build();
    }

    @Override
    public void close() {
        client.close();
        dynoxide.close();
    }
}
