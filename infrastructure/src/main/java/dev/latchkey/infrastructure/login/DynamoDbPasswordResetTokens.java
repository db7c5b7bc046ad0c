package dev.latchkey.infrastructure.login;

import dev.latchkey.core.login.PasswordResetChallenge;
import dev.latchkey.core.login.PasswordResetTokens;
import dev.latchkey.core.store.StoreUnavailableException;
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
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Pending password resets in the single table, next to email verifications: {@code pk =
 * CHALLENGE#<sha256 of the token, hex>}, {@code sk = CHALLENGE}, attributes {@code purpose}
 * ({@value PasswordResetChallenge#PURPOSE}), {@code userId}, {@code email} (canonical, at issue time),
 * {@code createdAt} (ISO-8601) and {@code expiresAt} (epoch seconds, the TTL attribute). The token itself
 * is never stored.
 *
 * <p>{@link #save}: one {@code PutItem} with {@code attribute_not_exists(pk)}. {@link #find}: one
 * consistent {@code GetItem}, items of another purpose ignored. {@link #consume}: one {@code DeleteItem}
 * with {@code attribute_exists(pk) AND purpose = :purpose} and {@code ReturnValues=ALL_OLD}, so a token
 * works once even under parallel use, and an email-verification or WebAuthn challenge can never be spent
 * as a reset. Every SDK failure becomes {@link StoreUnavailableException}.
 */
public final class DynamoDbPasswordResetTokens implements PasswordResetTokens {

    static final String PK_PREFIX = "CHALLENGE#";
    static final String SK = "CHALLENGE";

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbPasswordResetTokens.class);

    private final DynamoDbClient client;
    private final String tableName;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbPasswordResetTokens(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    static Map<String, AttributeValue> key(String tokenHash) {
        return Map.of(LatchkeyTable.PK, AttributeValue.fromS(PK_PREFIX + tokenHash),
                LatchkeyTable.SK, AttributeValue.fromS(SK));
    }

    @Override
    public void save(PasswordResetChallenge challenge) {
        Map<String, AttributeValue> item = new HashMap<>(key(challenge.tokenHash()));
        item.put("purpose", AttributeValue.fromS(PasswordResetChallenge.PURPOSE));
        item.put("userId", AttributeValue.fromS(challenge.userId()));
        item.put("email", AttributeValue.fromS(challenge.canonicalEmail()));
        item.put("createdAt", AttributeValue.fromS(challenge.createdAt().toString()));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(
                challenge.expiresAt().getEpochSecond())));
        try {
            client.putItem(b -> b.tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("password reset token collision", e);
        } catch (SdkException e) {
            throw unavailable("password reset token save", e);
        }
    }

    @Override
    public Optional<PasswordResetChallenge> find(String tokenHash) {
        try {
            GetItemResponse response = client.getItem(b -> b.tableName(tableName).key(key(tokenHash))
                    .consistentRead(true));
            if (!response.hasItem() || response.item().isEmpty()) {
                return Optional.empty();
            }
            Map<String, AttributeValue> item = response.item();
            AttributeValue purpose = item.get("purpose");
            if (purpose == null || !PasswordResetChallenge.PURPOSE.equals(purpose.s())) {
                return Optional.empty();
            }
            return Optional.of(toChallenge(tokenHash, item));
        } catch (SdkException e) {
            throw unavailable("password reset token read", e);
        }
    }

    @Override
    public Optional<PasswordResetChallenge> consume(String tokenHash) {
        try {
            DeleteItemResponse response = client.deleteItem(b -> b.tableName(tableName).key(key(tokenHash))
                    .conditionExpression("attribute_exists(#pk) AND #purpose = :purpose")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#purpose", "purpose"))
                    .expressionAttributeValues(Map.of(":purpose",
                            AttributeValue.fromS(PasswordResetChallenge.PURPOSE)))
                    .returnValues(ReturnValue.ALL_OLD));
            return Optional.of(toChallenge(tokenHash, response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable("password reset token consume", e);
        }
    }

    private static PasswordResetChallenge toChallenge(String tokenHash, Map<String, AttributeValue> item) {
        return new PasswordResetChallenge(tokenHash, item.get("userId").s(), item.get("email").s(),
                Instant.parse(item.get("createdAt").s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(LatchkeyTable.TTL_ATTRIBUTE).n())));
    }

    private static StoreUnavailableException unavailable(String what, SdkException e) {
        LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
        return new StoreUnavailableException(e);
    }
}
