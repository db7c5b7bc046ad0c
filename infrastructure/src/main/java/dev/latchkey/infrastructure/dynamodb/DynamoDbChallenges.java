package dev.latchkey.infrastructure.dynamodb;

import dev.latchkey.core.store.StoreUnavailableException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Single-use challenges of a user (email verification, password reset), one item each:
 * {@code pk = CHALLENGE#<SHA-256 of the token, hex>}, {@code sk = CHALLENGE}, with {@code purpose},
 * {@code userId}, {@code email} (canonical, at issue time), {@code createdAt} (ISO-8601) and
 * {@code expiresAt} (epoch seconds, the TTL attribute). The token itself is never stored.
 *
 * <p>{@link #save}: one {@code PutItem} with {@code attribute_not_exists(pk)}. {@link #find}: one
 * consistent {@code GetItem}, items of another purpose ignored. {@link #consume}: one
 * {@code DeleteItem} with {@code attribute_exists(pk) AND purpose = :purpose} and
 * {@code ReturnValues=ALL_OLD}, so a token works once even under parallel use and a challenge of one
 * purpose can never be spent as another. Expiry is the caller's check (TTL deletes lazily). Every SDK
 * failure becomes {@link StoreUnavailableException}.
 */
public final class DynamoDbChallenges {

    /**
     * A stored challenge.
     *
     * @param tokenHash the token's SHA-256, hex
     * @param userId whose it is
     * @param canonicalEmail the user's canonical email when it was issued
     * @param createdAt when it was issued
     * @param expiresAt when it stops working
     */
    public record Stored(String tokenHash, String userId, String canonicalEmail, Instant createdAt,
            Instant expiresAt) {
    }

    private final SingleTable table;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbChallenges(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    /** The item's key for a token hash. */
    public static Map<String, AttributeValue> key(String tokenHash) {
        return Keys.challenge(tokenHash);
    }

    /**
     * Stores a new challenge.
     *
     * @throws IllegalStateException when an item already has this hash (256 random bits collided: a
     *     bug, and a pending token is never overwritten)
     */
    public void save(String purpose, Stored challenge) {
        Map<String, AttributeValue> item = new HashMap<>(key(challenge.tokenHash()));
        item.put("purpose", AttributeValue.fromS(purpose));
        item.put("userId", AttributeValue.fromS(challenge.userId()));
        item.put("email", AttributeValue.fromS(challenge.canonicalEmail()));
        item.put("createdAt", AttributeValue.fromS(challenge.createdAt().toString()));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(
                challenge.expiresAt().getEpochSecond())));
        boolean saved = table.conditional(purpose + " token save", () -> table.client().putItem(b -> b
                .tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)))).isPresent();
        if (!saved) {
            throw new IllegalStateException(purpose + " token collision");
        }
    }

    /** The challenge of this purpose with this hash, if stored (not consumed). */
    public Optional<Stored> find(String purpose, String tokenHash) {
        return table.get(purpose + " token read", key(tokenHash))
                .filter(item -> item.get("purpose") != null && purpose.equals(item.get("purpose").s()))
                .map(item -> toStored(tokenHash, item));
    }

    /** Deletes and returns the challenge of this purpose with this hash; empty when none (or spent). */
    public Optional<Stored> consume(String purpose, String tokenHash) {
        return table.conditional(purpose + " token consume", () -> table.client().deleteItem(b -> b
                        .tableName(table.name()).key(key(tokenHash))
                        .conditionExpression("attribute_exists(#pk) AND #purpose = :purpose")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#purpose", "purpose"))
                        .expressionAttributeValues(Map.of(":purpose", AttributeValue.fromS(purpose)))
                        .returnValues(ReturnValue.ALL_OLD)))
                .map(response -> toStored(tokenHash, response.attributes()));
    }

    private static Stored toStored(String tokenHash, Map<String, AttributeValue> item) {
        return new Stored(tokenHash, item.get("userId").s(), item.get("email").s(),
                Instant.parse(item.get("createdAt").s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(LatchkeyTable.TTL_ATTRIBUTE).n())));
    }
}
