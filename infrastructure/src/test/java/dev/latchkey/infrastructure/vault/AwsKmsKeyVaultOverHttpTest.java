package dev.latchkey.infrastructure.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVaultException;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.aws.AwsClientFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.JsonNode;

/**
 * The real KMS client (signing, JSON protocol, error unmarshalling) under {@link AwsKmsKeyVault}, against a stand-in
 * for the KMS API on loopback. {@code AwsKmsKeyVaultTest} covers the vault's rules over a fake client; this covers
 * the wire, and so the operations of the SDK subset jar (module {@code infrastructure/aws-sdk}) that the vault calls:
 * GenerateDataKey, Decrypt, DescribeKey and the modeled {@code InvalidCiphertextException}.
 */
class AwsKmsKeyVaultOverHttpTest {

    private static final String KEY_ID = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final EncryptionContext SIGNING = new EncryptionContext("signing-key", "kid-1");
    private static final byte[] SECRET = "not really a private key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA_KEY = new byte[32];
    private static final String WRAPPED = Base64.getEncoder().encodeToString("wrapped-data-key".getBytes(
            StandardCharsets.UTF_8));

    private record Captured(String target, String authorization, JsonNode body) {
    }

    private HttpServer kms;
    private final List<Captured> requests = new CopyOnWriteArrayList<>();
    private volatile boolean rejectCiphertext;

    @BeforeEach
    void start() throws IOException {
        kms = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        kms.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("x-amz-target");
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Captured(target, exchange.getRequestHeaders().getFirst("authorization"),
                    Json.mapper().readTree(new String(body, StandardCharsets.UTF_8))));
            int status = 200;
            String plaintext = Base64.getEncoder().encodeToString(DATA_KEY);
            String answer = switch (target) {
                case "TrentService.GenerateDataKey" -> "{\"KeyId\":\"" + KEY_ID + "\",\"Plaintext\":\"" + plaintext
                        + "\",\"CiphertextBlob\":\"" + WRAPPED + "\"}";
                case "TrentService.Decrypt" -> {
                    if (rejectCiphertext) {
                        status = 400;
                        yield "{\"__type\":\"InvalidCiphertextException\",\"message\":\"invalid\"}";
                    }
                    yield "{\"KeyId\":\"" + KEY_ID + "\",\"Plaintext\":\"" + plaintext + "\"}";
                }
                case "TrentService.DescribeKey" -> "{\"KeyMetadata\":{\"KeyId\":\"" + KEY_ID
                        + "\",\"Arn\":\"" + KEY_ID + "\",\"Enabled\":true,\"KeyState\":\"Enabled\","
                        + "\"KeyUsage\":\"ENCRYPT_DECRYPT\",\"KeySpec\":\"SYMMETRIC_DEFAULT\","
                        + "\"CreationDate\":1.7e9,\"MultiRegion\":false}}";
                default -> {
                    status = 400;
                    yield "{\"__type\":\"UnsupportedOperationException\",\"message\":\"" + target + "\"}";
                }
            };
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        kms.start();
    }

    @AfterEach
    void stop() {
        kms.stop(0);
    }

    private AwsKmsKeyVault vault() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of(
                "LATCHKEY_AWS_REGION", "eu-west-1",
                "LATCHKEY_KMS_ENDPOINT", "http://127.0.0.1:" + kms.getAddress().getPort()), "test");
        var aws = new AwsClientFactory(config, StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
        return new AwsKmsKeyVault(aws.kms(), KEY_ID, new SecureRandom(), Clock.systemUTC(), 10,
                Duration.ofMinutes(5));
    }

    @Test
    void sealThenOpenWhenRealClientThenSignedGenerateDataKeyAndDecryptWithKeyAndContext() {
        AwsKmsKeyVault vault = vault();

        SealedSecret sealed = vault.seal(SECRET, SIGNING);
        byte[] opened = vault.open(sealed, SIGNING);

        assertThat(opened).isEqualTo(SECRET);
        assertThat(requests).extracting(Captured::target)
                .containsExactly("TrentService.GenerateDataKey", "TrentService.Decrypt");
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=a/")
                    .contains("/eu-west-1/kms/aws4_request");
            assertThat(request.body().path("KeyId").asString()).isEqualTo(KEY_ID);
            assertThat(request.body().path("EncryptionContext").path("latchkey:owner").asString())
                    .isEqualTo("kid-1");
        });
        assertThat(requests.get(0).body().path("KeySpec").asString()).isEqualTo("AES_256");
        assertThat(requests.get(1).body().path("CiphertextBlob").asString()).isEqualTo(WRAPPED);
    }

    @Test
    void openWhenKmsAnswersInvalidCiphertextThenCannotOpen() {
        AwsKmsKeyVault vault = vault();
        SealedSecret sealed = vault.seal(SECRET, SIGNING);
        rejectCiphertext = true;

        KeyVaultException e = catchThrowableOfType(KeyVaultException.class, () -> vault.open(sealed, SIGNING));

        assertThat(e).as("KeyVaultException expected").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(requests).extracting(Captured::target).last().isEqualTo("TrentService.Decrypt");
    }

    @Test
    void checkWhenKeyEnabledThenPassesWithOneSignedDescribeKey() {
        vault().check();

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.target()).isEqualTo("TrentService.DescribeKey");
            assertThat(request.body().path("KeyId").asString()).isEqualTo(KEY_ID);
        });
    }
}
