package dev.latchkey.infrastructure.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * An in-memory KMS for unit tests: data keys are wrapped with the fake's own AES-256-GCM key, the
 * encryption context of {@code GenerateDataKey} must be given again, unchanged, to {@code Decrypt}
 * (else {@link InvalidCiphertextException}, as KMS answers), calls are counted, and every call can
 * be made to throw. The SDK's consumer-builder default methods delegate to the request-object
 * overloads implemented here.
 */
final class FakeKms implements KmsClient {

    private final String keyId;
    private final byte[] wrappingKey = new byte[32];
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Map<String, String>> contextByBlob = new ConcurrentHashMap<>();

    final AtomicInteger generateDataKeyCalls = new AtomicInteger();
    final AtomicInteger decryptCalls = new AtomicInteger();
    final AtomicInteger describeKeyCalls = new AtomicInteger();
    final AtomicInteger contextMismatches = new AtomicInteger();
    final List<GenerateDataKeyRequest> generateDataKeyRequests = new ArrayList<>();
    final List<DecryptRequest> decryptRequests = new ArrayList<>();

    private volatile RuntimeException failure;
    private volatile KeyState keyState = KeyState.ENABLED;

    FakeKms(String keyId) {
        this.keyId = keyId;
        random.nextBytes(wrappingKey);
    }

    /** Makes every later call throw {@code value}; {@code null} heals it. */
    FakeKms failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    /** The state {@code DescribeKey} reports. */
    FakeKms keyState(KeyState value) {
        this.keyState = value;
        return this;
    }

    @Override
    public synchronized GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest request) {
        generateDataKeyCalls.incrementAndGet();
        generateDataKeyRequests.add(request);
        failIfAsked();
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        Map<String, String> context = Map.copyOf(request.encryptionContext());
        try {
            byte[] blob = AesGcm.encrypt(wrappingKey, dataKey, associatedData(context), random);
            contextByBlob.put(Base64.getEncoder().encodeToString(blob), context);
            return GenerateDataKeyResponse.builder()
                    .keyId(keyId)
                    .plaintext(SdkBytes.fromByteArray(dataKey))
                    .ciphertextBlob(SdkBytes.fromByteArray(blob))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized DecryptResponse decrypt(DecryptRequest request) {
        decryptCalls.incrementAndGet();
        decryptRequests.add(request);
        failIfAsked();
        byte[] blob = request.ciphertextBlob().asByteArray();
        Map<String, String> context = Map.copyOf(request.encryptionContext());
        Map<String, String> sealedWith = contextByBlob.get(Base64.getEncoder().encodeToString(blob));
        if (sealedWith != null && !sealedWith.equals(context)) {
            contextMismatches.incrementAndGet();
        }
        try {
            byte[] dataKey = AesGcm.decrypt(wrappingKey, blob, 0, associatedData(context));
            return DecryptResponse.builder().keyId(keyId).plaintext(SdkBytes.fromByteArray(dataKey)).build();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw InvalidCiphertextException.builder().message("invalid ciphertext").statusCode(400).build();
        }
    }

    @Override
    public DescribeKeyResponse describeKey(DescribeKeyRequest request) {
        describeKeyCalls.incrementAndGet();
        failIfAsked();
        return DescribeKeyResponse.builder()
                .keyMetadata(KeyMetadata.builder().keyId(keyId).keyState(keyState).enabled(keyState == KeyState.ENABLED)
                        .build())
                .build();
    }

    @Override
    public String serviceName() {
        return "kms";
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    private void failIfAsked() {
        RuntimeException value = failure;
        if (value != null) {
            throw value;
        }
    }

    private static byte[] associatedData(Map<String, String> context) {
        return new TreeMap<>(context).toString().getBytes(StandardCharsets.UTF_8);
    }
}
