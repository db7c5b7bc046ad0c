package dev.latchkey.infrastructure.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.config.KeyVaultMode;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.health.CheckHealth;
import dev.latchkey.core.health.HealthReport;
import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVaultException;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.aws.AwsClientFactory;
import dev.latchkey.infrastructure.dynamodb.DynamoDbTableStore;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.vault.AwsKmsKeyVault;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * The AWS adapters against LocalStack's DynamoDB and KMS: the readiness check is UP and KMS
 * envelope encryption round-trips with the encryption context enforced by KMS itself. Skipped (not
 * failed) where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackReadinessTest {

    @Container
    private static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4")).withServices("dynamodb", "kms");

    private static final String TABLE = "latchkey-localstack";

    private static AwsClientFactory aws;
    private static DynamoDbClient dynamoDb;
    private static KmsClient kms;
    private static LatchkeyConfig config;

    @BeforeAll
    static void createTableAndKey() {
        String endpoint = LOCALSTACK.getEndpoint().toString();
        Map<String, String> bootstrap = Map.of(
                "LATCHKEY_TABLE_NAME", TABLE,
                "LATCHKEY_DYNAMODB_ENDPOINT", endpoint,
                "LATCHKEY_KMS_ENDPOINT", endpoint,
                "LATCHKEY_AWS_REGION", LOCALSTACK.getRegion());
        // Credentials from the container, never from the machine running the test (STYLE.md §10).
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        AwsClientFactory setup = new AwsClientFactory(LatchkeyConfig.fromEnvironment(bootstrap, "test"), credentials);
        String keyId;
        try (KmsClient setupKms = setup.kms()) {
            keyId = setupKms.createKey(b -> b.keySpec(KeySpec.SYMMETRIC_DEFAULT)
                    .keyUsage(KeyUsageType.ENCRYPT_DECRYPT).description("latchkey test")).keyMetadata().keyId();
        } finally {
            setup.close();
        }
        var environment = new java.util.HashMap<>(bootstrap);
        environment.put("LATCHKEY_KEY_VAULT", "kms");
        environment.put("LATCHKEY_KMS_KEY_ID", keyId);
        environment.put("LATCHKEY_HEALTH_TIMEOUT_MS", "5000");
        config = LatchkeyConfig.fromEnvironment(environment, "test");
        aws = new AwsClientFactory(config, credentials);
        dynamoDb = aws.dynamoDb();
        kms = aws.kms();
        assertThat(LatchkeyTable.ensureExists(dynamoDb, config.tableName())).isTrue();
    }

    @AfterAll
    static void closeClients() {
        if (aws != null) {
            dynamoDb.close();
            kms.close();
            aws.close();
        }
    }

    private static AwsKmsKeyVault vault() {
        return new AwsKmsKeyVault(kms, config.kmsKeyId().orElseThrow(), new SecureRandom(), Clock.systemUTC(),
                config.dataKeyCacheSize(), config.dataKeyCacheTtl());
    }

    @Test
    void checkHealthWhenTableAndKeyExistThenUp() {
        assertThat(config.keyVault()).isEqualTo(KeyVaultMode.KMS);
        var table = new DynamoDbTableStore(dynamoDb, config.tableName(), config.healthTimeout());

        HealthReport report = new CheckHealth(table, vault(), Clock.systemUTC(), "test").check();

        assertThat(report.checks()).containsOnlyKeys("dynamodb", "key_vault");
        assertThat(report.checks().values()).isNotEmpty()
                .allSatisfy(check -> assertThat(check.status()).isEqualTo(HealthReport.Status.UP));
        assertThat(report.status()).isEqualTo(HealthReport.Status.UP);
    }

    @Test
    void checkHealthWhenTableMissingThenDown() {
        var missing = new DynamoDbTableStore(dynamoDb, "latchkey-absent", config.healthTimeout());

        HealthReport report = new CheckHealth(missing, vault(), Clock.systemUTC(), "test").check();

        assertThat(report.checks().get("dynamodb").status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.checks().get("key_vault").status()).isEqualTo(HealthReport.Status.UP);
        assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
    }

    @Test
    void sealThenOpenWhenKmsThenRoundTripsAndOtherContextCannotOpen() {
        EncryptionContext context = new EncryptionContext("signing-key", "kid-1");
        byte[] secret = "a private key".getBytes(StandardCharsets.UTF_8);
        SealedSecret sealed = vault().seal(secret, context);

        assertThat(vault().open(sealed, context)).isEqualTo(secret);
        KeyVaultException e = catchThrowableOfType(KeyVaultException.class,
                () -> vault().open(sealed, new EncryptionContext("signing-key", "kid-2")));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }
}
