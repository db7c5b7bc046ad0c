package dev.latchkey.infrastructure.mfa;

import dev.latchkey.core.login.PasswordLogin;
import dev.latchkey.core.mfa.MfaLoginChallenge;
import dev.latchkey.core.mfa.MfaLoginTokens;
import dev.latchkey.infrastructure.dynamodb.DynamoDbChallenges;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Pending second login steps among the other challenges: {@code pk = CHALLENGE#<sha256 of the mfa_token, hex>},
 * {@code sk = CHALLENGE}, purpose {@value MfaLoginTokens#PURPOSE}, {@code userId}, {@code email},
 * {@code createdAt}, {@code expiresAt} (TTL). The purpose names the first step: a password login
 * ({@code amr ["pwd"]}), the only one that asks for a second factor. {@link #consume} is a conditional delete, so
 * a token works once even in parallel, and a challenge of another purpose can never be spent as one.
 */
public final class DynamoDbMfaLoginTokens implements MfaLoginTokens {

    private final DynamoDbChallenges challenges;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbMfaLoginTokens(DynamoDbClient client, String tableName) {
        this.challenges = new DynamoDbChallenges(client, tableName);
    }

    /** @throws IllegalArgumentException when the first step was not a password login (no other asks for one) */
    @Override
    public void save(MfaLoginChallenge challenge) {
        if (!challenge.firstFactorAmr().equals(PasswordLogin.AMR)) {
            throw new IllegalArgumentException("only a password step is stored as " + PURPOSE);
        }
        challenges.save(PURPOSE, new DynamoDbChallenges.Stored(challenge.tokenHash(), challenge.userId(),
                challenge.canonicalEmail(), challenge.createdAt(), challenge.expiresAt()));
    }

    @Override
    public Optional<MfaLoginChallenge> find(String tokenHash) {
        return challenges.find(PURPOSE, tokenHash).map(DynamoDbMfaLoginTokens::toChallenge);
    }

    @Override
    public Optional<MfaLoginChallenge> consume(String tokenHash) {
        return challenges.consume(PURPOSE, tokenHash).map(DynamoDbMfaLoginTokens::toChallenge);
    }

    private static MfaLoginChallenge toChallenge(DynamoDbChallenges.Stored stored) {
        return new MfaLoginChallenge(stored.tokenHash(), stored.userId(), stored.canonicalEmail(),
                PasswordLogin.AMR, stored.createdAt(), stored.expiresAt());
    }
}
