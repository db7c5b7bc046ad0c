package dev.latchkey.infrastructure.login;

import dev.latchkey.core.login.PasswordResetChallenge;
import dev.latchkey.core.login.PasswordResetTokens;
import dev.latchkey.infrastructure.dynamodb.DynamoDbChallenges;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
 * as a reset. Every SDK failure becomes {@code StoreUnavailableException}.
 */
public final class DynamoDbPasswordResetTokens implements PasswordResetTokens {

    private final DynamoDbChallenges challenges;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbPasswordResetTokens(DynamoDbClient client, String tableName) {
        this.challenges = new DynamoDbChallenges(client, tableName);
    }

    @Override
    public void save(PasswordResetChallenge challenge) {
        challenges.save(PasswordResetChallenge.PURPOSE, new DynamoDbChallenges.Stored(challenge.tokenHash(),
                challenge.userId(), challenge.canonicalEmail(), challenge.createdAt(), challenge.expiresAt()));
    }

    @Override
    public Optional<PasswordResetChallenge> find(String tokenHash) {
        return challenges.find(PasswordResetChallenge.PURPOSE, tokenHash)
                .map(DynamoDbPasswordResetTokens::toChallenge);
    }

    @Override
    public Optional<PasswordResetChallenge> consume(String tokenHash) {
        return challenges.consume(PasswordResetChallenge.PURPOSE, tokenHash)
                .map(DynamoDbPasswordResetTokens::toChallenge);
    }

    private static PasswordResetChallenge toChallenge(DynamoDbChallenges.Stored stored) {
        return new PasswordResetChallenge(stored.tokenHash(), stored.userId(), stored.canonicalEmail(),
                stored.createdAt(), stored.expiresAt());
    }
}
