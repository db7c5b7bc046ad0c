package dev.latchkey.infrastructure.client;

import dev.latchkey.core.client.AssertionReplayStore;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The spent client-assertion ids, one item each: {@code pk = JTI#<clientId>#<SHA-256 of the jti, hex>},
 * {@code sk = JTI}, {@code expiresAt} = the assertion's {@code exp} (epoch seconds, the TTL attribute). The jti is
 * hashed so that the key has a fixed length and no caller-chosen characters.
 *
 * <p>{@link #firstUse}: one {@code PutItem} with {@code attribute_not_exists(pk) OR expiresAt < :now}: of two
 * parallel uses exactly one succeeds, and an entry that expired but was not yet deleted by TTL (which runs lazily)
 * does not block a new assertion. Every SDK failure becomes {@link StoreUnavailableException} (fail closed).
 */
public final class DynamoDbAssertionReplayStore implements AssertionReplayStore {

    private final SingleTable table;
    private final Clock clock;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param clock decides whether a stored entry has expired
     */
    public DynamoDbAssertionReplayStore(DynamoDbClient client, String tableName, Clock clock) {
        this.table = new SingleTable(client, tableName);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The item's partition key for a client and jti. */
    public static String partitionKey(String clientId, String jwtId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jwtId.getBytes(StandardCharsets.UTF_8));
            return Keys.assertionJtiPk(clientId, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public boolean firstUse(String clientId, String jwtId, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.key(partitionKey(clientId, jwtId),
                Keys.ASSERTION_JTI_SK));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        return table.conditional("assertion replay check", () -> table.client().putItem(b -> b
                .tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(#pk) OR #expiresAt < :now")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#expiresAt", LatchkeyTable.TTL_ATTRIBUTE))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(
                        clock.instant().getEpochSecond())))))).isPresent();
    }
}
