package dev.latchkey.infrastructure.account;

import dev.latchkey.core.account.EmailVerificationChallenge;
import dev.latchkey.core.account.VerificationTokens;
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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Pending email verifications in the single table: {@code pk = CHALLENGE#<sha256 of the token, hex>},
 * {@code sk = CHALLENGE}, attributes {@code purpose} ({@value EmailVerificationChallenge#PURPOSE}),
 * {@code userId}, {@code email} (canonical, at issue time), {@code createdAt} (ISO-8601) and
 * {@code expiresAt} (epoch seconds, the table's TTL attribute). The token itself is never stored.
 *
 * <p>{@link #save} is one {@code PutItem} with {@code attribute_not_exists(pk)}. {@link #consume} is one
 * {@code DeleteItem} with {@code attribute_exists(pk) AND purpose = :purpose} and
 * {@code ReturnValues=ALL_OLD}: atomic, so a token works once even under parallel use, and a challenge of
 * another purpose (WebAuthn, password reset) can never be spent as an email verification. Expiry is
 * checked by the caller on what comes back (TTL deletion is lazy). Every SDK failure becomes
 * {@link StoreUnavailableException}.
 */
public final class DynamoDbVerificationTokens implements VerificationTokens {

    static final String PK_PREFIX = "CHALLENGE#";
    static final String SK = "CHALLENGE";

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbVerificationTokens.class);

    private final DynamoDbClient client;
    private final String tableName;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbVerificationTokens(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    /** The item's key for a token hash. */
    static Map<String, AttributeValue> key(String tokenHash) {
        return Map.of(LatchkeyTable.PK, AttributeValue.fromS(PK_PREFIX + tokenHash),
                LatchkeyTable.SK, AttributeValue.fromS(SK));
    }

    @Override
    public void save(EmailVerificationChallenge challenge) {
        Map<String, AttributeValue> item = new HashMap<>(key(challenge.tokenHash()));
        item.put("purpose", AttributeValue.fromS(EmailVerificationChallenge.PURPOSE));
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
            // 256 random bits collided: impossible in practice, so a bug; never overwrite a pending token.
            throw new IllegalStateException("verification token collision", e);
        } catch (SdkException e) {
            throw unavailable("verification token save", e);
        }
    }

    @Override
    public Optional<EmailVerificationChallenge> consume(String tokenHash) {
        try {
            DeleteItemResponse response = client.deleteItem(b -> b.tableName(tableName).key(key(tokenHash))
                    .conditionExpression("attribute_exists(#pk) AND #purpose = :purpose")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#purpose", "purpose"))
                    .expressionAttributeValues(Map.of(":purpose",
                            AttributeValue.fromS(EmailVerificationChallenge.PURPOSE)))
                    .returnValues(ReturnValue.ALL_OLD));
            Map<String, AttributeValue> old = response.attributes();
            return Optional.of(new EmailVerificationChallenge(tokenHash, old.get("userId").s(), old.get("email").s(),
                    Instant.parse(old.get("createdAt").s()),
                    Instant.ofEpochSecond(Long.parseLong(old.get(LatchkeyTable.TTL_ATTRIBUTE).n()))));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable("verification token consume", e);
        }
    }

    private static StoreUnavailableException unavailable(String what, SdkException e) {
        LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
        return new StoreUnavailableException(e);
    }
}
