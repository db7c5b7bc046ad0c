package dev.latchkey.infrastructure.aws;

import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.infrastructure.mail.SesMailer;
import dev.latchkey.infrastructure.metrics.AwsErrorMeter;
import dev.latchkey.infrastructure.metrics.Meter;
import dev.latchkey.infrastructure.metrics.Metrics;
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
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Builds the AWS clients once per container: explicit region and credentials provider (no
 * provider-chain probing at cold start), the light url-connection HTTP client (no Apache, no
 * Netty) with buffered request bodies ({@link BufferedBodyConnections}: no 1 ms keep-alive probe per
 * request), standard retries with backoff, and endpoint overrides for the local emulator and
 * LocalStack.
 */
public final class AwsClientFactory {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    private final LatchkeyConfig config;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient httpClient;
    private final Metrics metrics;

    /**
     * @param config the configuration (region, endpoints)
     * @param credentials how to sign requests; see {@link #credentialsFor}
     */
    public AwsClientFactory(LatchkeyConfig config, AwsCredentialsProvider credentials) {
        this(config, credentials, Metrics.NONE);
    }

    /**
     * @param config the configuration (region, endpoints)
     * @param credentials how to sign requests; see {@link #credentialsFor}
     * @param metrics where failed DynamoDB and KMS calls are counted ({@link AwsErrorMeter})
     */
    public AwsClientFactory(LatchkeyConfig config, AwsCredentialsProvider credentials, Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.credentials = credentials;
        this.httpClient = UrlConnectionHttpClient.create(new BufferedBodyConnections(CONNECT_TIMEOUT, SOCKET_TIMEOUT));
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
                .overrideConfiguration(overrides(Meter.DYNAMODB_ERRORS));
        endpoint(config.dynamoDbEndpoint()).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** A KMS client. */
    public KmsClient kms() {
        var builder = KmsClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClient(httpClient)
                .overrideConfiguration(overrides(Meter.KEY_VAULT_ERRORS));
        endpoint(config.kmsEndpoint()).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The SES mailer: SES API v2 {@code SendEmail} on the shared HTTP client, signed with these credentials, at
     * {@code LATCHKEY_SES_ENDPOINT} or the region's SES endpoint ({@code email.<region>.amazonaws.com}, from the SDK's
     * region metadata).
     *
     * @param from the verified sender address
     */
    public SesMailer sesMailer(String from) {
        Region region = Region.of(config.region());
        URI endpoint = endpoint(config.sesEndpoint())
                .orElseGet(() -> URI.create("https://" + ServiceMetadata.of("email").endpointFor(region)));
        return new SesMailer(httpClient, credentials, region.id(), endpoint, from);
    }

    /** Closes the shared HTTP client. */
    public void close() {
        httpClient.close();
    }

    private ClientOverrideConfiguration overrides(Meter errors) {
        var builder = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD)
                .apiCallTimeout(Duration.ofSeconds(10));
        if (metrics != Metrics.NONE) {
            builder.addExecutionInterceptor(new AwsErrorMeter(metrics, errors));
        }
        return builder.build();
    }

    private static Optional<URI> endpoint(Optional<URI> override) {
        return override;
    }
}
