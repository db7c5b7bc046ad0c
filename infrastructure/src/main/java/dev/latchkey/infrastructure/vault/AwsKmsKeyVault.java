package dev.latchkey.infrastructure.vault;

import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVault;
import dev.latchkey.core.vault.KeyVaultException;
import dev.latchkey.core.vault.SealedSecret;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * Envelope encryption with AWS KMS: {@code GenerateDataKey} (AES-256) per sealed secret, the
 * secret encrypted locally with AES-256-GCM, and the encryption context bound twice (KMS
 * encryption context on the data key; GCM associated data on the secret). Opened data keys are
 * cached in memory — bounded in count and age — so a container calls KMS once per secret at cold
 * start, never per request.
 *
 * <p>Sealed format: {@code 0x02 ‖ u16 length ‖ encrypted data key ‖ nonce(12) ‖ ciphertext ‖ tag(16)}.
 */
public final class AwsKmsKeyVault implements KeyVault {

    static final byte FORMAT = 0x02;
    /**
     * How long a passed {@link #check()} is trusted. Health routes are public: without this, every
     * request to them would be a KMS call (cost and the account's shared KMS request quota).
     */
    static final Duration CHECK_CACHE = Duration.ofSeconds(15);
    /** The longest a readiness check waits on KMS, retries included. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(AwsKmsKeyVault.class);

    private final KmsClient kms;
    private final String keyId;
    private final SecureRandom random;
    private final Clock clock;
    private final DataKeyCache cache;
    private volatile Instant checkedUntil = Instant.MIN;

    /**
     * @param kms the KMS client
     * @param keyId the KMS key id or ARN that wraps data keys
     * @param random the CSPRNG for nonces
     * @param clock for cache expiry
     * @param cacheSize the most data keys kept open
     * @param cacheTtl the longest a data key stays open in memory
     */
    public AwsKmsKeyVault(KmsClient kms, String keyId, SecureRandom random, Clock clock, int cacheSize,
            Duration cacheTtl) {
        this.kms = kms;
        this.keyId = keyId;
        this.random = random;
        this.clock = clock;
        this.cache = new DataKeyCache(cacheSize, cacheTtl);
    }

    @Override
    public SealedSecret seal(byte[] plaintext, EncryptionContext context) {
        GenerateDataKeyResponse dataKey;
        try {
            dataKey = kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(context.asMap()));
        } catch (SdkException e) {
            LOG.warn("KMS GenerateDataKey failed: {}", e.getClass().getSimpleName());
            throw KeyVaultException.unavailable(e);
        }
        byte[] key = dataKey.plaintext().asByteArray();
        byte[] wrapped = dataKey.ciphertextBlob().asByteArray();
        try {
            byte[] body = AesGcm.encrypt(key, plaintext, context.associatedData(), random);
            ByteBuffer out = ByteBuffer.allocate(1 + 2 + wrapped.length + body.length);
            out.put(FORMAT).putShort((short) wrapped.length).put(wrapped).put(body);
            return SealedSecret.of(out.array());
        } catch (GeneralSecurityException e) {
            throw KeyVaultException.unavailable(e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public byte[] open(SealedSecret sealed, EncryptionContext context) {
        byte[] bytes = sealed.bytes();
        if (bytes.length < 3 || bytes[0] != FORMAT) {
            throw KeyVaultException.cannotOpen(null);
        }
        int wrappedLength = ((bytes[1] & 0xff) << 8) | (bytes[2] & 0xff);
        if (bytes.length < 3 + wrappedLength) {
            throw KeyVaultException.cannotOpen(null);
        }
        byte[] wrapped = Arrays.copyOfRange(bytes, 3, 3 + wrappedLength);
        byte[] key = dataKey(wrapped, context);
        try {
            return AesGcm.decrypt(key, bytes, 3 + wrappedLength, context.associatedData());
        } catch (GeneralSecurityException e) {
            throw KeyVaultException.cannotOpen(e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * {@code DescribeKey}: the key exists, is enabled, and KMS answers within {@link #CHECK_TIMEOUT}. A pass is
     * trusted for {@link #CHECK_CACHE}; a failure never is.
     */
    @Override
    public void check() {
        Instant now = clock.instant();
        if (now.isBefore(checkedUntil)) {
            return;
        }
        try {
            KeyState state = kms.describeKey(b -> b.keyId(keyId)
                    .overrideConfiguration(o -> o.apiCallTimeout(CHECK_TIMEOUT))).keyMetadata().keyState();
            if (state != KeyState.ENABLED) {
                LOG.warn("KMS key is not enabled: {}", state);
                throw KeyVaultException.unavailable(null);
            }
            checkedUntil = now.plus(CHECK_CACHE);
        } catch (SdkException e) {
            LOG.warn("KMS DescribeKey failed: {}", e.getClass().getSimpleName());
            throw KeyVaultException.unavailable(e);
        }
    }

    /** How many data keys are open in memory now (for tests and metrics). */
    public int cachedDataKeys() {
        return cache.size();
    }

    private byte[] dataKey(byte[] wrapped, EncryptionContext context) {
        String cacheKey = Base64.getEncoder().encodeToString(wrapped) + "|" + context.purpose() + "|"
                + context.ownerId();
        byte[] cached = cache.get(cacheKey, clock.instant());
        if (cached != null) {
            return cached;
        }
        byte[] key;
        try {
            key = kms.decrypt(b -> b.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(context.asMap())).plaintext().asByteArray();
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw KeyVaultException.cannotOpen(e);
        } catch (SdkException e) {
            LOG.warn("KMS Decrypt failed: {}", e.getClass().getSimpleName());
            throw KeyVaultException.unavailable(e);
        }
        cache.put(cacheKey, key, clock.instant());
        return key;
    }

    /** A small LRU of opened data keys, each dropped after its time to live. */
    private static final class DataKeyCache {
        private record Entry(byte[] key, Instant openedAt) {
        }

        private final int capacity;
        private final Duration ttl;
        private final LinkedHashMap<String, Entry> entries;

        DataKeyCache(int capacity, Duration ttl) {
            this.capacity = capacity;
            this.ttl = ttl;
            this.entries = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                    boolean evict = size() > DataKeyCache.this.capacity;
                    if (evict) {
                        Arrays.fill(eldest.getValue().key(), (byte) 0);
                    }
                    return evict;
                }
            };
        }

        synchronized byte[] get(String id, Instant now) {
            Entry entry = entries.get(id);
            if (entry == null) {
                return null;
            }
            if (!now.isBefore(entry.openedAt().plus(ttl))) {
                entries.remove(id);
                Arrays.fill(entry.key(), (byte) 0);
                return null;
            }
            return entry.key().clone();
        }

        synchronized void put(String id, byte[] key, Instant now) {
            entries.put(id, new Entry(key.clone(), now));
        }

        synchronized int size() {
            return entries.size();
        }
    }
}
