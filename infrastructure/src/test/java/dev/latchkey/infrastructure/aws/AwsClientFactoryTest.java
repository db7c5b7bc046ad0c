package dev.latchkey.infrastructure.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** No test here resolves real AWS credentials (STYLE.md §10): providers are checked by type only. */
class AwsClientFactoryTest {

    private static final AwsCredentialsProvider LOCAL =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private static EmulatedTable emulated;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    @Test
    void credentialsForWhenLambdaVariablesPresentThenEnvironmentProvider() {
        Map<String, String> lambda = Map.of("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "x",
                "AWS_SESSION_TOKEN", "t");

        assertThat(AwsClientFactory.credentialsFor(lambda, false))
                .isInstanceOf(EnvironmentVariableCredentialsProvider.class);
        assertThat(AwsClientFactory.credentialsFor(lambda, true))
                .isInstanceOf(EnvironmentVariableCredentialsProvider.class);
    }

    @Test
    void credentialsForWhenEmulatorThenStaticLocalCredentials() {
        AwsCredentialsProvider provider = AwsClientFactory.credentialsFor(Map.of(), true);

        assertThat(provider).isInstanceOf(StaticCredentialsProvider.class);
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("local");
        assertThat(provider.resolveCredentials().secretAccessKey()).isEqualTo("local");
    }

    @Test
    void credentialsForWhenOnlyAccessKeyIdThenNotEnvironmentProvider() {
        assertThat(AwsClientFactory.credentialsFor(Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"), true))
                .isInstanceOf(StaticCredentialsProvider.class);
        assertThat(AwsClientFactory.credentialsFor(Map.of("AWS_SECRET_ACCESS_KEY", "x"), false))
                .isInstanceOf(DefaultCredentialsProvider.class);
    }

    @Test
    void credentialsForWhenNeitherThenDefaultChain() {
        assertThat(AwsClientFactory.credentialsFor(Map.of(), false)).isInstanceOf(DefaultCredentialsProvider.class);
    }

    @Test
    void dynamoDbWhenEndpointOverriddenThenCallsEmulatorInConfiguredRegion() {
        URI endpoint = emulated.dynoxide().endpoint();
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of(
                "LATCHKEY_DYNAMODB_ENDPOINT", endpoint.toString(),
                "LATCHKEY_AWS_REGION", "eu-west-1"), "test");
        AwsClientFactory factory = new AwsClientFactory(config, LOCAL);
        try (var dynamoDb = factory.dynamoDb()) {
            assertThat(dynamoDb.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
            assertThat(dynamoDb.serviceClientConfiguration().endpointOverride()).contains(endpoint);
            assertThat(dynamoDb.listTables().tableNames()).contains(EmulatedTable.TABLE);
        } finally {
            factory.close();
        }
    }

    @Test
    void kmsWhenEndpointOverriddenThenConfiguredWithRegionAndEndpoint() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of(
                "LATCHKEY_KMS_ENDPOINT", "http://127.0.0.1:4566",
                "LATCHKEY_AWS_REGION", "ap-southeast-2"), "test");
        AwsClientFactory factory = new AwsClientFactory(config, LOCAL);
        try (var kms = factory.kms()) {
            assertThat(kms.serviceClientConfiguration().region()).isEqualTo(Region.AP_SOUTHEAST_2);
            assertThat(kms.serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:4566"));
        } finally {
            factory.close();
        }
    }

    @Test
    void dynamoDbWhenNoOverrideThenNoEndpointOverrideAndRegionFromAwsRegion() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of("AWS_REGION", "eu-central-1"), "test");
        AwsClientFactory factory = new AwsClientFactory(config, LOCAL);
        try (var dynamoDb = factory.dynamoDb(); var kms = factory.kms()) {
            assertThat(dynamoDb.serviceClientConfiguration().region()).isEqualTo(Region.EU_CENTRAL_1);
            assertThat(dynamoDb.serviceClientConfiguration().endpointOverride()).isEmpty();
            assertThat(kms.serviceClientConfiguration().endpointOverride()).isEmpty();
        } finally {
            factory.close();
        }
    }
}
