package dev.latchkey.infrastructure.keys;

import dev.latchkey.core.keys.ConcurrentRotationException;
import dev.latchkey.core.keys.KeyRing;
import dev.latchkey.core.keys.KeyRingRepository;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.token.EcPublicJwk;
import dev.latchkey.core.token.SigningKey;
import dev.latchkey.core.token.SigningKeyState;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The key ring in the single table, one partition: {@code pk = SIGNING_KEY}, a {@code RING} item
 * holding the version, and one {@code KEY#<kid>} item per key (public JWK coordinates, state,
 * times, and the private key sealed by the key vault). {@link #load()} is one strongly consistent
 * {@code Query}; {@link #commit} is one {@code TransactWriteItems} conditioned on the version.
 */
public final class DynamoDbKeyRingRepository implements KeyRingRepository {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbKeyRingRepository.class);
    static final String PARTITION = "SIGNING_KEY";
    static final String RING = "RING";
    static final String KEY_PREFIX = "KEY#";

    private final DynamoDbClient client;
    private final String tableName;

    /**
     * @param client the DynamoDB client
     * @param tableName the single table
     */
    public DynamoDbKeyRingRepository(DynamoDbClient client, String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    @Override
    public KeyRing load() {
        long version = 0;
        List<SigningKey> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                Map<String, AttributeValue> exclusiveStart = start;
                QueryResponse page = client.query(b -> b.tableName(tableName).consistentRead(true)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PARTITION)))
                        .exclusiveStartKey(exclusiveStart));
                for (Map<String, AttributeValue> item : page.items()) {
                    String sk = item.get(LatchkeyTable.SK).s();
                    if (sk.equals(RING)) {
                        version = Long.parseLong(item.get("version").n());
                    } else if (sk.startsWith(KEY_PREFIX)) {
                        keys.add(toKey(item));
                    }
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            LOG.warn("key ring load failed: {}", e.getClass().getSimpleName());
            throw new StoreUnavailableException(e);
        }
        return new KeyRing(version, keys);
    }

    @Override
    public void commit(long expectedVersion, List<SigningKey> upserts, List<String> removedKids) {
        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, AttributeValue> ring = Map.of(
                LatchkeyTable.PK, AttributeValue.fromS(PARTITION),
                LatchkeyTable.SK, AttributeValue.fromS(RING),
                "version", AttributeValue.fromN(Long.toString(expectedVersion + 1)));
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(tableName).item(ring)
                .conditionExpression(expectedVersion == 0 ? "attribute_not_exists(#pk)" : "#version = :expected")
                .expressionAttributeNames(expectedVersion == 0 ? Map.of("#pk", LatchkeyTable.PK)
                        : Map.of("#version", "version"))
                .expressionAttributeValues(expectedVersion == 0 ? null
                        : Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))))).build());
        for (SigningKey key : upserts) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(tableName).item(toItem(key))).build());
        }
        for (String kid : removedKids) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(tableName).key(Map.of(
                    LatchkeyTable.PK, AttributeValue.fromS(PARTITION),
                    LatchkeyTable.SK, AttributeValue.fromS(KEY_PREFIX + kid)))).build());
        }
        try {
            client.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            boolean versionMoved = e.hasCancellationReasons() && !e.cancellationReasons().isEmpty()
                    && "ConditionalCheckFailed".equals(reason(e.cancellationReasons().get(0)));
            if (versionMoved) {
                throw new ConcurrentRotationException(expectedVersion);
            }
            LOG.warn("key ring commit cancelled: {}", e.getClass().getSimpleName());
            throw new StoreUnavailableException(e);
        } catch (SdkException e) {
            LOG.warn("key ring commit failed: {}", e.getClass().getSimpleName());
            throw new StoreUnavailableException(e);
        }
    }

    private static String reason(CancellationReason reason) {
        return reason == null ? "" : String.valueOf(reason.code());
    }

    private static Map<String, AttributeValue> toItem(SigningKey key) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LatchkeyTable.PK, AttributeValue.fromS(PARTITION));
        item.put(LatchkeyTable.SK, AttributeValue.fromS(KEY_PREFIX + key.kid()));
        item.put("kid", AttributeValue.fromS(key.kid()));
        item.put("state", AttributeValue.fromS(key.state().name()));
        item.put("crv", AttributeValue.fromS(key.publicJwk().crv()));
        item.put("x", AttributeValue.fromS(key.publicJwk().x()));
        item.put("y", AttributeValue.fromS(key.publicJwk().y()));
        item.put("sealedPrivateKey", AttributeValue.fromS(key.sealedPrivateKey().encoded()));
        item.put("createdAt", AttributeValue.fromS(key.createdAt().toString()));
        key.activatedAt().ifPresent(at -> item.put("activatedAt", AttributeValue.fromS(at.toString())));
        key.retiredAt().ifPresent(at -> item.put("retiredAt", AttributeValue.fromS(at.toString())));
        return item;
    }

    private static SigningKey toKey(Map<String, AttributeValue> item) {
        return new SigningKey(item.get("kid").s(), SigningKeyState.valueOf(item.get("state").s()),
                new EcPublicJwk(item.get("crv").s(), item.get("x").s(), item.get("y").s()),
                SealedSecret.decode(item.get("sealedPrivateKey").s()), Instant.parse(item.get("createdAt").s()),
                time(item, "activatedAt"), time(item, "retiredAt"));
    }

    private static Optional<Instant> time(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(v -> Instant.parse(v.s()));
    }
}
