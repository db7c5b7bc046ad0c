package dev.latchkey.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.RegistrationDisclosure;
import dev.latchkey.core.http.CorsPolicy;
import dev.latchkey.core.token.AccessTokenType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatchkeyConfigTest {

    private static final String BUILD_VERSION = "1.2.3-test";
    /** A syntactically valid master key: base64 of 32 bytes. */
    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private static ConfigException rejected(Map<String, String> environment) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> LatchkeyConfig.fromEnvironment(environment, BUILD_VERSION));
        assertThat(e).as("expected a ConfigException for %s", environment.keySet()).isNotNull();
        return e;
    }

    @Test
    void fromEnvironmentWhenEmptyThenDefaults() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of(), BUILD_VERSION);

        assertThat(config.tableName()).isEqualTo("latchkey");
        assertThat(config.issuer()).isEmpty();
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.dynamoDbEndpoint()).isEmpty();
        assertThat(config.kmsEndpoint()).isEmpty();
        assertThat(config.keyVault()).isEqualTo(KeyVaultMode.LOCAL);
        assertThat(config.kmsKeyId()).isEmpty();
        assertThat(config.masterKey()).isEmpty();
        assertThat(config.dataDir()).isEqualTo(Path.of(".latchkey"));
        assertThat(config.port()).isEqualTo(3000);
        assertThat(config.maxBodyBytes()).isEqualTo(65_536);
        assertThat(config.dataKeyCacheSize()).isEqualTo(100);
        assertThat(config.dataKeyCacheTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.healthTimeout()).isEqualTo(Duration.ofMillis(2000));
        assertThat(config.version()).isEqualTo(BUILD_VERSION);
        assertThat(config.mailFrom()).isEmpty();
        assertThat(config.sesEndpoint()).isEmpty();
        assertThat(config.passwordMinLength()).isEqualTo(12);
        assertThat(config.apiKeyCacheTtl()).as("the API-key cache is off by default").isEqualTo(Duration.ZERO);
        assertThat(config.webauthnRpId()).as("defaults to the issuer's host").isEmpty();
        assertThat(config.webauthnRpName()).isEqualTo("Latchkey");
        assertThat(config.webauthnOrigins()).as("defaults to the issuer's origin").isEmpty();
        assertThat(config.webauthnUserVerificationRequired()).isTrue();
        assertThat(config.accessTokenType()).as("typ JWT: what unconfigured resource servers accept")
                .isEqualTo(AccessTokenType.JWT);
        assertThat(config.firstPartyClientId()).isEqualTo("latchkey");
        assertThat(config.clientAssertionMaxLifetime()).as("authlib's default assertion lifetime")
                .isEqualTo(Duration.ofHours(1));
        assertThat(config.registrationDisclosure()).as("compatible by default").isEqualTo(
                RegistrationDisclosure.EXPLICIT);
    }

    @ParameterizedTest
    @CsvSource({"explicit, EXPLICIT", "silent, SILENT", "Silent, SILENT", " silent , SILENT"})
    void fromEnvironmentWhenRegistrationDisclosureSetThenParsed(String value, RegistrationDisclosure expected) {
        assertThat(LatchkeyConfig.fromEnvironment(Map.of("LATCHKEY_REGISTRATION_DISCLOSURE", value), BUILD_VERSION)
                .registrationDisclosure()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"60, 60", "300, 300", "86400, 86400"})
    void fromEnvironmentWhenClientAssertionMaxLifetimeInRangeThenUsed(String value, long seconds) {
        assertThat(LatchkeyConfig.fromEnvironment(Map.of("LATCHKEY_CLIENT_ASSERTION_MAX_LIFETIME", value),
                BUILD_VERSION).clientAssertionMaxLifetime()).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"at+jwt, AT_JWT", "AT+JWT, AT_JWT", "JWT, JWT", "jwt, JWT"})
    void fromEnvironmentWhenAccessTokenTypeSetThenParsed(String value, AccessTokenType type) {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of("LATCHKEY_ACCESS_TOKEN_TYPE", value,
                "LATCHKEY_FIRST_PARTY_CLIENT_ID", "web-console"), BUILD_VERSION);

        assertThat(config.accessTokenType()).isEqualTo(type);
        assertThat(config.firstPartyClientId()).isEqualTo("web-console");
        assertThat(config.withIssuer(URI.create("https://x.example.com")).accessTokenType()).isEqualTo(type);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "LATCHKEY_ACCESS_TOKEN_TYPE     | application/at+jwt",
        "LATCHKEY_ACCESS_TOKEN_TYPE     | at_jwt",
        "LATCHKEY_FIRST_PARTY_CLIENT_ID | cli_01JXAMPLE0000000000000000",
        "LATCHKEY_FIRST_PARTY_CLIENT_ID | my client",
        "LATCHKEY_CLIENT_ASSERTION_MAX_LIFETIME | 59",
        "LATCHKEY_CLIENT_ASSERTION_MAX_LIFETIME | 86401",
        "LATCHKEY_CLIENT_ASSERTION_MAX_LIFETIME | 1h",
    })
    void fromEnvironmentWhenTokenValueBadThenProblemNamesVariable(String variable, String value) {
        ConfigException e = rejected(Map.of(variable, value));

        assertThat(e.problems()).singleElement().asString().startsWith(variable + ":");
    }

    @Test
    void fromEnvironmentWhenWebAuthnVariablesSetThenParsedAndNormalized() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of(
                "LATCHKEY_WEBAUTHN_RP_ID", "example.com",
                "LATCHKEY_WEBAUTHN_RP_NAME", " Example ",
                "LATCHKEY_WEBAUTHN_ORIGINS", " https://Example.com:443 ,https://app.example.com:8443, "
                        + "android:apk-key-hash:Hq6d7wL1eJ3Vx9bTnYkS0mA2cF8gR4uP5iW6oZ7yX1E,https://example.com",
                "LATCHKEY_WEBAUTHN_USER_VERIFICATION", "Preferred"), BUILD_VERSION);

        assertThat(config.webauthnRpId()).hasValue("example.com");
        assertThat(config.webauthnRpName()).isEqualTo("Example");
        assertThat(config.webauthnOrigins()).containsExactly("https://example.com", "https://app.example.com:8443",
                "android:apk-key-hash:Hq6d7wL1eJ3Vx9bTnYkS0mA2cF8gR4uP5iW6oZ7yX1E");
        assertThat(config.webauthnUserVerificationRequired()).isFalse();
        assertThat(config.withIssuer(URI.create("https://x.example.com")).webauthnOrigins())
                .isEqualTo(config.webauthnOrigins());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "LATCHKEY_WEBAUTHN_RP_ID             | https://example.com",
        "LATCHKEY_WEBAUTHN_RP_ID             | 10.0.0.1",
        "LATCHKEY_WEBAUTHN_RP_ID             | Example.com",
        "LATCHKEY_WEBAUTHN_ORIGINS           | example.com",
        "LATCHKEY_WEBAUTHN_ORIGINS           | https://example.com/",
        "LATCHKEY_WEBAUTHN_ORIGINS           | https://example.com,,https://a.example.com",
        "LATCHKEY_WEBAUTHN_ORIGINS           | android:apk-key-hash:bad!",
        "LATCHKEY_WEBAUTHN_USER_VERIFICATION | discouraged",
        "LATCHKEY_WEBAUTHN_USER_VERIFICATION | true",
    })
    void fromEnvironmentWhenWebAuthnValueBadThenProblemNamesVariable(String variable, String value) {
        ConfigException e = rejected(Map.of(variable, value));

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0)).startsWith(variable + ":");
    }

    @Test
    void fromEnvironmentWhenOriginOutsideTheRpIdThenProblemNamesOrigins() {
        ConfigException e = rejected(Map.of("LATCHKEY_WEBAUTHN_RP_ID", "example.com",
                "LATCHKEY_WEBAUTHN_ORIGINS", "https://example.com,https://evil.test"));

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_WEBAUTHN_ORIGINS:")
                .contains("evil.test");
    }

    @Test
    void fromEnvironmentWhenRpNameTooLongThenProblem() {
        assertThat(rejected(Map.of("LATCHKEY_WEBAUTHN_RP_NAME", "x".repeat(65))).problems()).singleElement()
                .asString().startsWith("LATCHKEY_WEBAUTHN_RP_NAME:");
    }

    @Test
    void fromEnvironmentWhenAllSetThenParsed() {
        Map<String, String> environment = new HashMap<>();
        environment.put("LATCHKEY_TABLE_NAME", "latchkey-prod");
        environment.put("LATCHKEY_ISSUER", "https://id.example.com");
        environment.put("LATCHKEY_AWS_REGION", "eu-west-1");
        environment.put("LATCHKEY_DYNAMODB_ENDPOINT", "http://localhost:8000");
        environment.put("LATCHKEY_KMS_ENDPOINT", "http://localhost:4566");
        environment.put("LATCHKEY_KEY_VAULT", "kms");
        environment.put("LATCHKEY_KMS_KEY_ID", "alias/latchkey");
        environment.put("LATCHKEY_DATA_DIR", "/tmp/latchkey");
        environment.put("LATCHKEY_PORT", " 8080 ");
        environment.put("LATCHKEY_MAX_BODY_BYTES", "1024");
        environment.put("LATCHKEY_DATA_KEY_CACHE_SIZE", "10");
        environment.put("LATCHKEY_DATA_KEY_CACHE_TTL_SECONDS", "60");
        environment.put("LATCHKEY_HEALTH_TIMEOUT_MS", "500");
        environment.put("LATCHKEY_VERSION", "9.9.9");
        environment.put("LATCHKEY_API_KEY_CACHE_SECONDS", "30");

        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(environment, BUILD_VERSION);

        assertThat(config.tableName()).isEqualTo("latchkey-prod");
        assertThat(config.issuer()).hasValue(URI.create("https://id.example.com"));
        assertThat(config.requireIssuer()).isEqualTo(URI.create("https://id.example.com"));
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.dynamoDbEndpoint()).hasValue(URI.create("http://localhost:8000"));
        assertThat(config.kmsEndpoint()).hasValue(URI.create("http://localhost:4566"));
        assertThat(config.keyVault()).isEqualTo(KeyVaultMode.KMS);
        assertThat(config.kmsKeyId()).hasValue("alias/latchkey");
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/latchkey"));
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.maxBodyBytes()).isEqualTo(1024);
        assertThat(config.dataKeyCacheSize()).isEqualTo(10);
        assertThat(config.dataKeyCacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.healthTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.version()).isEqualTo("9.9.9");
        assertThat(config.apiKeyCacheTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "LATCHKEY_API_KEY_CACHE_SECONDS={0}")
    @CsvSource({"0, 0", "1, 1", "60, 60", "' 5 ', 5"})
    void fromEnvironmentWhenApiKeyCacheSecondsInRangeThenTtl(String value, long seconds) {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of("LATCHKEY_API_KEY_CACHE_SECONDS", value),
                BUILD_VERSION);

        assertThat(config.apiKeyCacheTtl()).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void apiKeyCacheLimitWhenComparedThenTheCachesOwnMaximum() {
        assertThat(rejected(Map.of("LATCHKEY_API_KEY_CACHE_SECONDS",
                Long.toString(dev.latchkey.core.apikey.ApiKeyCache.MAX_TTL.toSeconds() + 1))).problems())
                .singleElement().asString().startsWith("LATCHKEY_API_KEY_CACHE_SECONDS:");
    }

    @Test
    void fromEnvironmentWhenOnlyAwsRegionSetThenUsed() {
        assertThat(LatchkeyConfig.fromEnvironment(Map.of("AWS_REGION", "ap-southeast-2"), BUILD_VERSION).region())
                .isEqualTo("ap-southeast-2");
        assertThat(LatchkeyConfig.fromEnvironment(
                Map.of("AWS_REGION", "ap-southeast-2", "LATCHKEY_AWS_REGION", "eu-central-1"), BUILD_VERSION).region())
                .isEqualTo("eu-central-1");
    }

    @Test
    void fromEnvironmentWhenValueBlankThenDefault() {
        assertThat(LatchkeyConfig.fromEnvironment(Map.of("LATCHKEY_PORT", "  "), BUILD_VERSION).port())
                .isEqualTo(3000);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "LATCHKEY_TABLE_NAME        | ab",
        "LATCHKEY_TABLE_NAME        | bad table!",
        "LATCHKEY_AWS_REGION        | Mars",
        "LATCHKEY_AWS_REGION        | us_east_1",
        "LATCHKEY_PORT              | 70000",
        "LATCHKEY_PORT              | -1",
        "LATCHKEY_PORT              | http",
        "LATCHKEY_MAX_BODY_BYTES    | 100",
        "LATCHKEY_MAX_BODY_BYTES    | 2000000",
        "LATCHKEY_MAX_BODY_BYTES    | 64k",
        "LATCHKEY_DATA_KEY_CACHE_SIZE | 0",
        "LATCHKEY_DATA_KEY_CACHE_TTL_SECONDS | 86401",
        "LATCHKEY_HEALTH_TIMEOUT_MS | 99",
        "LATCHKEY_PASSWORD_MIN_LENGTH | 7",
        "LATCHKEY_PASSWORD_MIN_LENGTH | 65",
        "LATCHKEY_API_KEY_CACHE_SECONDS | -1",
        "LATCHKEY_API_KEY_CACHE_SECONDS | 61",
        "LATCHKEY_API_KEY_CACHE_SECONDS | 1.5",
        "LATCHKEY_API_KEY_CACHE_SECONDS | 10s",
        "LATCHKEY_MAIL_FROM         | Ada <ada@example.com>",
        "LATCHKEY_SES_ENDPOINT      | not a url",
        "LATCHKEY_ISSUER            | not a url",
        "LATCHKEY_ISSUER            | ftp://id.example.com",
        "LATCHKEY_ISSUER            | https://id.example.com/?tenant=1",
        "LATCHKEY_ISSUER            | https://id.example.com/#frag",
        "LATCHKEY_ISSUER            | https://id.example.com/base/",
        "LATCHKEY_ISSUER            | https://id.example.com/",
        "LATCHKEY_ISSUER            | /relative",
        "LATCHKEY_DYNAMODB_ENDPOINT | localhost:8000",
        "LATCHKEY_KMS_ENDPOINT      | http://",
        "LATCHKEY_KEY_VAULT         | vault",
        "LATCHKEY_REGISTRATION_DISCLOSURE | quiet",
        "LATCHKEY_MASTER_KEY        | too-short",
    })
    void fromEnvironmentWhenValueBadThenProblemNamesVariable(String variable, String value) {
        ConfigException e = rejected(Map.of(variable, value));

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0)).startsWith(variable + ":");
        assertThat(e.getMessage()).contains(variable);
    }

    @Test
    void fromEnvironmentWhenInLambdaWithoutKeyVaultThenKms() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_NAME", "latchkey-health",
                "LATCHKEY_KMS_KEY_ID", "alias/latchkey"), BUILD_VERSION);

        assertThat(config.keyVault()).isEqualTo(KeyVaultMode.KMS);
    }

    @Test
    void fromEnvironmentWhenInLambdaWithLocalKeyVaultThenRefused() {
        ConfigException e = rejected(Map.of("AWS_LAMBDA_FUNCTION_NAME", "latchkey-health",
                "LATCHKEY_KEY_VAULT", "local"));

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_KEY_VAULT:").contains("refused");
    }

    @Test
    void fromEnvironmentWhenInLambdaWithoutKeyIdThenProblemNamesKeyId() {
        ConfigException e = rejected(Map.of("AWS_LAMBDA_FUNCTION_NAME", "latchkey-health"));

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_KMS_KEY_ID:");
    }

    @Test
    void fromEnvironmentWhenSamLocalInvokeThenLocalKeyVaultStillAllowedAndTheDefault() {
        Map<String, String> samLocal = Map.of("AWS_LAMBDA_FUNCTION_NAME", "HealthFunction", "AWS_SAM_LOCAL", "true");

        assertThat(LatchkeyConfig.fromEnvironment(samLocal, BUILD_VERSION).keyVault()).isEqualTo(KeyVaultMode.LOCAL);
    }

    @Test
    void fromEnvironmentWhenKmsWithoutKeyIdThenProblemNamesKeyId() {
        ConfigException e = rejected(Map.of("LATCHKEY_KEY_VAULT", "kms"));

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_KMS_KEY_ID:");
    }

    @Test
    void fromEnvironmentWhenSeveralValuesBadThenAllReportedAtOnce() {
        Map<String, String> environment = Map.of(
                "LATCHKEY_TABLE_NAME", "x",
                "LATCHKEY_PORT", "99999",
                "LATCHKEY_MAX_BODY_BYTES", "1",
                "LATCHKEY_ISSUER", "ftp://x",
                "LATCHKEY_KEY_VAULT", "kms",
                "LATCHKEY_MASTER_KEY", "hunter2-secret");

        ConfigException e = rejected(environment);

        assertThat(e.problems()).hasSize(6);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("LATCHKEY_TABLE_NAME:"))
                .anySatisfy(p -> assertThat(p).startsWith("LATCHKEY_PORT:"))
                .anySatisfy(p -> assertThat(p).startsWith("LATCHKEY_MAX_BODY_BYTES:"))
                .anySatisfy(p -> assertThat(p).startsWith("LATCHKEY_ISSUER:"))
                .anySatisfy(p -> assertThat(p).startsWith("LATCHKEY_KMS_KEY_ID:"))
                .anySatisfy(p -> assertThat(p).startsWith("LATCHKEY_MASTER_KEY:"));
    }

    @ParameterizedTest
    @CsvSource({"hunter2-secret", "aHVudGVyMi1zZWNyZXQ=",
        "aHVudGVyMi1zZWNyZXQtaHVudGVyMi1zZWNyZXQtaHVudGVyMi1zZWNyZXQ="})
    void fromEnvironmentWhenMasterKeyBadThenValueNeverInMessage(String badKey) {
        ConfigException e = rejected(Map.of("LATCHKEY_MASTER_KEY", badKey));

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_MASTER_KEY:");
        assertThat(e.getMessage()).doesNotContain(badKey).doesNotContain("hunter2");
        assertThat(String.join("\n", e.problems())).doesNotContain(badKey);
    }

    @Test
    void fromEnvironmentWhenMasterKeyValidThenKeptButNeverPrinted() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of("LATCHKEY_MASTER_KEY", MASTER_KEY),
                BUILD_VERSION);

        assertThat(config.masterKey()).hasValue(MASTER_KEY);
        assertThat(config.toString())
                .contains("latchkey", "us-east-1", "LOCAL")
                .doesNotContain(MASTER_KEY)
                .doesNotContain(MASTER_KEY.substring(0, 12));
    }

    @Test
    void requireIssuerWhenMissingThenConfigExceptionNamesIssuer() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of(), BUILD_VERSION);

        ConfigException e = catchThrowableOfType(ConfigException.class, config::requireIssuer);

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_ISSUER:");
    }

    @Test
    void withIssuerWhenCalledThenOnlyIssuerChanges() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of("LATCHKEY_PORT", "4000",
                "LATCHKEY_API_KEY_CACHE_SECONDS", "7"), BUILD_VERSION);

        LatchkeyConfig changed = config.withIssuer(URI.create("http://localhost:4000"));

        assertThat(changed.issuer()).hasValue(URI.create("http://localhost:4000"));
        assertThat(changed.port()).isEqualTo(4000);
        assertThat(changed.apiKeyCacheTtl()).isEqualTo(Duration.ofSeconds(7));
        LatchkeyConfig moved = changed.withDynamoDbEndpoint(URI.create("http://localhost:8000"));
        assertThat(moved.dynamoDbEndpoint()).hasValue(URI.create("http://localhost:8000"));
        assertThat(moved.apiKeyCacheTtl()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.issuer()).isEmpty();
    }

    @Test
    void fromEnvironmentWhenEdgeOriginSecretUnsetThenEmpty() {
        assertThat(LatchkeyConfig.fromEnvironment(Map.of(), BUILD_VERSION).edgeOriginSecret()).isEmpty();
    }

    @Test
    void fromEnvironmentWhenEdgeOriginSecretValidThenKeptButNeverPrinted() {
        String secret = "3f9c1e0a7b5d4c2e8f6a9b0c1d2e3f4a5b6c7d8e9f0a1b2c";
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of("LATCHKEY_EDGE_ORIGIN_SECRET", secret),
                BUILD_VERSION);

        assertThat(config.edgeOriginSecret()).hasValue(secret);
        assertThat(config.toString()).doesNotContain(secret).doesNotContain(secret.substring(0, 12));
        assertThat(config.withIssuer(URI.create("https://id.example.com")).edgeOriginSecret()).hasValue(secret);
    }

    @ParameterizedTest
    @CsvSource({"hunter2-edge-secret-too-short", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "abababababababababababababababababababab", "'hunter2 with a space in it, long enough to pass'"})
    void fromEnvironmentWhenEdgeOriginSecretWeakThenNamedButValueNeverInMessage(String bad) {
        ConfigException e = rejected(Map.of("LATCHKEY_EDGE_ORIGIN_SECRET", bad));

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_EDGE_ORIGIN_SECRET:");
        assertThat(e.getMessage()).doesNotContain(bad).doesNotContain("hunter2");
    }

    @Test
    void fromEnvironmentWhenCorsUnsetThenOff() {
        assertThat(LatchkeyConfig.fromEnvironment(Map.of(), BUILD_VERSION).cors()).isEqualTo(CorsPolicy.off());
    }

    @Test
    void fromEnvironmentWhenCorsOriginsSetThenExactOriginsMaxAgeAndCredentials() {
        CorsPolicy cors = LatchkeyConfig.fromEnvironment(Map.of(
                "LATCHKEY_CORS_ALLOWED_ORIGINS",
                "https://app.example.com, http://localhost:5173,https://app.example.com",
                "LATCHKEY_CORS_MAX_AGE_SECONDS", "120", "LATCHKEY_CORS_ALLOW_CREDENTIALS", "true"), BUILD_VERSION)
                .cors();

        assertThat(cors.allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:5173");
        assertThat(cors.maxAge()).isEqualTo(Duration.ofSeconds(120));
        assertThat(cors.allowCredentials()).isTrue();
    }

    @Test
    void fromEnvironmentWhenCorsWildcardOrBadValuesThenEveryProblemNamed() {
        ConfigException e = rejected(Map.of("LATCHKEY_CORS_ALLOWED_ORIGINS", "*",
                "LATCHKEY_CORS_MAX_AGE_SECONDS", "-1", "LATCHKEY_CORS_ALLOW_CREDENTIALS", "yes"));

        assertThat(e.getMessage()).contains("LATCHKEY_CORS_ALLOWED_ORIGINS: '*'")
                .contains("LATCHKEY_CORS_MAX_AGE_SECONDS").contains("LATCHKEY_CORS_ALLOW_CREDENTIALS");
    }
}
