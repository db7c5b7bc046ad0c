package dev.latchkey.infrastructure.passkey;

import dev.latchkey.core.passkey.Ceremony;
import dev.latchkey.core.passkey.PasskeyChallenge;
import dev.latchkey.core.passkey.PasskeyChallenges;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.DynamoDbChallenges;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
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

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbPasskeyChallenges.class);

    private final DynamoDbClient client;
    private final String tableName;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbPasskeyChallenges(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public void save(PasskeyChallenge challenge) {
        Map<String, AttributeValue> item = new HashMap<>(DynamoDbChallenges.key(challenge.id()));
        item.put("purpose", AttributeValue.fromS(challenge.ceremony().purpose()));
        item.put("challenge", AttributeValue.fromS(challenge.challenge()));
        challenge.userId().ifPresent(userId -> item.put("userId", AttributeValue.fromS(userId)));
        challenge.userHandle().ifPresent(handle -> item.put("userHandle", AttributeValue.fromS(handle)));
        item.put("createdAt", AttributeValue.fromS(challenge.createdAt().toString()));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(
                challenge.expiresAt().getEpochSecond())));
        try {
            client.putItem(p -> p.tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("challenge id collision", e);
        } catch (SdkException e) {
            throw unavailable("challenge save", e);
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
        try {
            DeleteItemResponse response = client.deleteItem(d -> d.tableName(tableName)
                    .key(DynamoDbChallenges.key(challengeId))
                    .conditionExpression(expression)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_OLD));
            return Optional.of(toChallenge(challengeId, response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable("challenge consume", e);
        }
    }

    private static PasskeyChallenge toChallenge(String challengeId, Map<String, AttributeValue> item) {
        return new PasskeyChallenge(challengeId, Ceremony.ofPurpose(item.get("purpose").s()),
                item.get("challenge").s(), Optional.ofNullable(item.get("userId")).map(AttributeValue::s),
                Optional.ofNullable(item.get("userHandle")).map(AttributeValue::s),
                Instant.parse(item.get("createdAt").s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(LatchkeyTable.TTL_ATTRIBUTE).n())));
    }

    private static StoreUnavailableException unavailable(String what, SdkException e) {
        LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
        return new StoreUnavailableException(e);
    }
}
