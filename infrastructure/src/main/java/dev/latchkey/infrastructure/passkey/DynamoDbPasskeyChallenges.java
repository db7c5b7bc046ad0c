package dev.latchkey.infrastructure.passkey;

import dev.latchkey.core.passkey.Ceremony;
import dev.latchkey.core.passkey.PasskeyChallenge;
import dev.latchkey.core.passkey.PasskeyChallenges;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.DynamoDbChallenges;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * WebAuthn challenges in the single table, beside the email-verification and password-reset challenges of
 * {@link DynamoDbChallenges} (same key shape; a challenge id {@code chl_…} never collides with a token's SHA-256):
 * {@code pk = CHALLENGE#<challengeId>}, {@code sk = CHALLENGE}, with {@code purpose}
 * ({@code webauthn-registration} or {@code webauthn-authentication}), {@code challenge} (base64url),
 * {@code userId} and {@code userHandle} when bound, {@code createdAt} (ISO-8601) and {@code expiresAt} (epoch
 * seconds, the TTL attribute).
 *
 * <p>{@link #save}: one {@code PutItem} with {@code attribute_not_exists(pk)}. {@link #consume}: one
 * {@code DeleteItem} conditioned on {@code attribute_exists(pk) AND purpose = :purpose} (and
 * {@code userId = :user} for a registration), {@code ReturnValues=ALL_OLD}: under parallel use exactly one caller
 * gets the challenge; a challenge of the other ceremony or of another user is neither returned nor spent. Expiry
 * is the caller's check (TTL deletes lazily). Every SDK failure becomes {@link StoreUnavailableException}.
 */
public final class DynamoDbPasskeyChallenges implements PasskeyChallenges {

    private final SingleTable table;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbPasskeyChallenges(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    @Override
    public void save(PasskeyChallenge challenge) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.challenge(challenge.id()));
        item.put("purpose", AttributeValue.fromS(challenge.ceremony().purpose()));
        item.put("challenge", AttributeValue.fromS(challenge.challenge()));
        challenge.userId().ifPresent(userId -> item.put("userId", AttributeValue.fromS(userId)));
        challenge.userHandle().ifPresent(handle -> item.put("userHandle", AttributeValue.fromS(handle)));
        item.put("createdAt", AttributeValue.fromS(challenge.createdAt().toString()));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(
                challenge.expiresAt().getEpochSecond())));
        boolean saved = table.conditional("challenge save", () -> table.client().putItem(p -> p
                .tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)))).isPresent();
        if (!saved) {
            throw new IllegalStateException("challenge id collision");
        }
    }

    @Override
    public Optional<PasskeyChallenge> consume(String challengeId, Ceremony ceremony, Optional<String> userId) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", LatchkeyTable.PK, "#purpose", "purpose"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":purpose",
                AttributeValue.fromS(ceremony.purpose())));
        String condition = "attribute_exists(#pk) AND #purpose = :purpose";
        if (userId.isPresent()) {
            names.put("#user", "userId");
            values.put(":user", AttributeValue.fromS(userId.get()));
            condition += " AND #user = :user";
        }
        String expression = condition;
        return table.conditional("challenge consume", () -> table.client().deleteItem(d -> d
                        .tableName(table.name())
                        .key(Keys.challenge(challengeId))
                        .conditionExpression(expression)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_OLD)))
                .map(response -> toChallenge(challengeId, response.attributes()));
    }

    private static PasskeyChallenge toChallenge(String challengeId, Map<String, AttributeValue> item) {
        return new PasskeyChallenge(challengeId, Ceremony.ofPurpose(item.get("purpose").s()),
                item.get("challenge").s(), Optional.ofNullable(item.get("userId")).map(AttributeValue::s),
                Optional.ofNullable(item.get("userHandle")).map(AttributeValue::s),
                Instant.parse(item.get("createdAt").s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(LatchkeyTable.TTL_ATTRIBUTE).n())));
    }
}
