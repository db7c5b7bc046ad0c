package dev.latchkey.infrastructure.keys;

import dev.latchkey.core.keys.ConcurrentRotationException;
import dev.latchkey.core.keys.KeyRing;
import dev.latchkey.core.keys.KeyRingRepository;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.token.EcPublicJwk;
import dev.latchkey.core.token.PublicJwk;
import dev.latchkey.core.token.RsaPublicJwk;
import dev.latchkey.core.token.SigningKey;
import dev.latchkey.core.token.SigningKeyState;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The key ring in the single table, one partition: {@code pk = SIGNING_KEY}, a {@code RING} item
 * holding the version, and one {@code KEY#<kid>} item per key (public JWK coordinates, state,
 * times, and the private key sealed by the key vault). {@link #load()} is one strongly consistent
 * {@code Query}; {@link #commit} is one {@code TransactWriteItems} conditioned on the version.
 */
public final class DynamoDbKeyRingRepository implements KeyRingRepository {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbKeyRingRepository.class);

    private final SingleTable table;

    /**
     * @param client the DynamoDB client
     * @param tableName the single table
     */
    public DynamoDbKeyRingRepository(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    @Override
    public KeyRing load() {
        long version = 0;
        List<SigningKey> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.queryAll("key ring load", b -> b.consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.SIGNING_KEY_PK))))) {
            String sk = item.get(LatchkeyTable.SK).s();
            if (sk.equals(Keys.RING_SK)) {
                version = Long.parseLong(item.get("version").n());
            } else if (sk.startsWith(Keys.KEY)) {
                keys.add(toKey(item));
            }
        }
        return new KeyRing(version, keys);
    }

    @Override
    public void commit(long expectedVersion, List<SigningKey> upserts, List<String> removedKids) {
        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, AttributeValue> ring = new HashMap<>(Keys.keyRing());
        ring.put("version", AttributeValue.fromN(Long.toString(expectedVersion + 1)));
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(ring)
                .conditionExpression(expectedVersion == 0 ? "attribute_not_exists(#pk)" : "#version = :expected")
                .expressionAttributeNames(expectedVersion == 0 ? Map.of("#pk", LatchkeyTable.PK)
                        : Map.of("#version", "version"))
                .expressionAttributeValues(expectedVersion == 0 ? null
                        : Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))))).build());
        for (SigningKey key : upserts) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(toItem(key))).build());
        }
        for (String kid : removedKids) {
            writes.add(table.delete(Keys.signingKey(kid)));
        }
        List<String> reasons = table.transactWriteOnce("key ring commit", writes);
        if (Transactions.failedCondition(reasons, 0)) {
            throw new ConcurrentRotationException(expectedVersion);
        }
        if (!reasons.isEmpty()) {
            LOG.warn("key ring commit cancelled: {}", reasons);
            throw new StoreUnavailableException(new IllegalStateException("key ring commit cancelled: " + reasons));
        }
    }

    private static Map<String, AttributeValue> toItem(SigningKey key) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.signingKey(key.kid()));
        item.put("kid", AttributeValue.fromS(key.kid()));
        item.put("state", AttributeValue.fromS(key.state().name()));
        if (key.publicJwk() instanceof RsaPublicJwk rsa) {
            item.put("kty", AttributeValue.fromS("RSA"));
            item.put("n", AttributeValue.fromS(rsa.n()));
            item.put("e", AttributeValue.fromS(rsa.e()));
        } else {
            EcPublicJwk ec = (EcPublicJwk) key.publicJwk();
            item.put("crv", AttributeValue.fromS(ec.crv()));
            item.put("x", AttributeValue.fromS(ec.x()));
            item.put("y", AttributeValue.fromS(ec.y()));
        }
        item.put("sealedPrivateKey", AttributeValue.fromS(key.sealedPrivateKey().encoded()));
        item.put("createdAt", AttributeValue.fromS(key.createdAt().toString()));
        key.activatedAt().ifPresent(at -> item.put("activatedAt", AttributeValue.fromS(at.toString())));
        key.retiredAt().ifPresent(at -> item.put("retiredAt", AttributeValue.fromS(at.toString())));
        return item;
    }

    private static SigningKey toKey(Map<String, AttributeValue> item) {
        return new SigningKey(item.get("kid").s(), SigningKeyState.valueOf(item.get("state").s()),
                publicJwk(item),
                SealedSecret.decode(item.get("sealedPrivateKey").s()), Instant.parse(item.get("createdAt").s()),
                time(item, "activatedAt"), time(item, "retiredAt"));
    }

    /** An item without {@code kty} is a P-256 key (every key before RS256 keys joined the ring). */
    private static PublicJwk publicJwk(Map<String, AttributeValue> item) {
        AttributeValue kty = item.get("kty");
        if (kty != null && "RSA".equals(kty.s())) {
            return new RsaPublicJwk(item.get("n").s(), item.get("e").s());
        }
        return new EcPublicJwk(item.get("crv").s(), item.get("x").s(), item.get("y").s());
    }

    private static Optional<Instant> time(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(v -> Instant.parse(v.s()));
    }
}
