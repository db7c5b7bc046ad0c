package dev.latchkey.infrastructure.account;

import dev.latchkey.core.account.EmailVerificationChallenge;
import dev.latchkey.core.account.VerificationTokens;
import dev.latchkey.infrastructure.dynamodb.DynamoDbChallenges;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
 * {@code StoreUnavailableException}.
 */
public final class DynamoDbVerificationTokens implements VerificationTokens {

    private final DynamoDbChallenges challenges;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbVerificationTokens(DynamoDbClient client, String tableName) {
        this.challenges = new DynamoDbChallenges(client, tableName);
    }

    /** The item's key for a token hash. */
    static Map<String, AttributeValue> key(String tokenHash) {
        return DynamoDbChallenges.key(tokenHash);
    }

    @Override
    public void save(EmailVerificationChallenge challenge) {
        challenges.save(EmailVerificationChallenge.PURPOSE, new DynamoDbChallenges.Stored(challenge.tokenHash(),
                challenge.userId(), challenge.canonicalEmail(), challenge.createdAt(), challenge.expiresAt()));
    }

    @Override
    public Optional<EmailVerificationChallenge> consume(String tokenHash) {
        return challenges.consume(EmailVerificationChallenge.PURPOSE, tokenHash)
                .map(c -> new EmailVerificationChallenge(c.tokenHash(), c.userId(), c.canonicalEmail(),
                        c.createdAt(), c.expiresAt()));
    }
}
