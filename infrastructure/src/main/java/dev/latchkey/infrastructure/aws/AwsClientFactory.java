package dev.latchkey.infrastructure.aws;

import dev.latchkey.core.config.LatchkeyConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Builds the AWS clients once per container: explicit region and credentials provider (no
 * provider-chain probing at cold start), the light url-connection HTTP client (no Apache, no
 * Netty), standard retries with backoff, and endpoint overrides for the local emulator and
 * LocalStack.
 */
public final class AwsClientFactory {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    private final LatchkeyConfig config;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient httpClient;

    /**
     * @param config the configuration (region, endpoints)
     * @param credentials how to sign requests; see {@link #credentialsFor}
     */
    public AwsClientFactory(LatchkeyConfig config, AwsCredentialsProvider credentials) {
        this.config = config;
        this.credentials = credentials;
        this.httpClient = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
    }

    /**
     * The credentials provider for this environment: Lambda's environment variables when present
     * (the fastest), fixed dummy credentials when talking to a local emulator, else the default
     * chain.
     */
    public static AwsCredentialsProvider credentialsFor(java.util.Map<String, String> environment, boolean emulator) {
        if (environment.containsKey("AWS_ACCESS_KEY_ID") && environment.containsKey("AWS_SECRET_ACCESS_KEY")) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        if (emulator) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** Anonymous credentials, for tests of code paths that must not sign. */
    public static AwsCredentialsProvider anonymous() {
        return AnonymousCredentialsProvider.create();
    }

    /** A DynamoDB client. */
    public DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClient(httpClient)
                .overrideConfiguration(overrides());
        endpoint(config.dynamoDbEndpoint()).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** A KMS client. */
    public KmsClient kms() {
        var builder = KmsClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClient(httpClient)
                .overrideConfiguration(overrides());
        endpoint(config.kmsEndpoint()).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** An SES v2 client. */
    public SesV2Client ses() {
        var builder = SesV2Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClient(httpClient)
                .overrideConfiguration(overrides());
        endpoint(config.sesEndpoint()).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Closes the shared HTTP client. */
    public void close() {
        httpClient.close();
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD)
                .apiCallTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static Optional<URI> endpoint(Optional<URI> override) {
        return override;
    }
}
