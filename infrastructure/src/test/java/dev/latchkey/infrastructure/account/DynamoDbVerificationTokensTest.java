package dev.latchkey.infrastructure.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.EmailVerificationChallenge;
import dev.latchkey.core.account.VerificationToken;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbVerificationTokensTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:15:30Z");

    private static EmulatedTable emulated;
    private static DynamoDbVerificationTokens tokens;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        tokens = new DynamoDbVerificationTokens(emulated.client(), EmulatedTable.TABLE);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private static EmailVerificationChallenge challenge(VerificationToken token, Instant expiresAt) {
        return new EmailVerificationChallenge(token.hash(), "usr_01JAAAAAAAAAAAAAAAAAAAAAAA", "ada@example.com", T0,
                expiresAt);
    }

    private static Map<String, AttributeValue> item(String tokenHash) {
        return emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE).consistentRead(true)
                .key(DynamoDbVerificationTokens.key(tokenHash))).item();
    }

    @Test
    @DisplayName("Stored under CHALLENGE#<sha256> with TTL; the token itself is nowhere in the item")
    void saveThenItemHasHashKeyPurposeAndTtlButNoToken() {
        VerificationToken token = VerificationToken.generate(new SecureRandom());
        tokens.save(challenge(token, T0.plus(Duration.ofHours(24))));

        Map<String, AttributeValue> item = item(token.hash());
        assertThat(item.get(LatchkeyTable.PK).s()).isEqualTo("CHALLENGE#" + token.hash())
                .matches("CHALLENGE#[0-9a-f]{64}");
        assertThat(item.get(LatchkeyTable.SK).s()).isEqualTo("CHALLENGE");
        assertThat(item.get("purpose").s()).isEqualTo("email-verification");
        assertThat(item.get("email").s()).isEqualTo("ada@example.com");
        assertThat(item.get(LatchkeyTable.TTL_ATTRIBUTE).n()).isEqualTo(
                Long.toString(T0.plus(Duration.ofHours(24)).getEpochSecond()));
        assertThat(item.toString()).doesNotContain(token.value(), token.value().substring(4));
    }

    @Test
    @DisplayName("consume returns the challenge once and deletes it; a replay finds nothing")
    void consumeWhenCalledTwiceThenSecondIsEmpty() {
        VerificationToken token = VerificationToken.generate(new SecureRandom());
        EmailVerificationChallenge saved = challenge(token, T0.plus(Duration.ofHours(24)));
        tokens.save(saved);

        assertThat(tokens.consume(token.hash())).contains(saved);
        assertThat(tokens.consume(token.hash())).isEmpty();
        assertThat(item(token.hash())).isEmpty();
    }

    @Test
    @DisplayName("An expired item still present is returned with its expiry, for the caller to refuse")
    void consumeWhenExpiredButPresentThenReturnedWithPastExpiry() {
        VerificationToken token = VerificationToken.generate(new SecureRandom());
        tokens.save(challenge(token, T0.plusSeconds(60)));

        Optional<EmailVerificationChallenge> consumed = tokens.consume(token.hash());

        assertThat(consumed).hasValueSatisfying(c -> assertThat(c.expiredAt(T0.plusSeconds(60))).isTrue());
    }

    @Test
    @DisplayName("A challenge of another purpose is not consumed as an email verification")
    void consumeWhenOtherPurposeThenEmptyAndItemKept() {
        String hash = VerificationToken.generate(new SecureRandom()).hash();
        emulated.client().putItem(b -> b.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("CHALLENGE#" + hash),
                LatchkeyTable.SK, AttributeValue.fromS("CHALLENGE"),
                "purpose", AttributeValue.fromS("webauthn-registration"))));

        assertThat(tokens.consume(hash)).isEmpty();
        assertThat(item(hash)).isNotEmpty();
    }

    @Test
    @DisplayName("Parallel consumes of one token: exactly one gets it")
    void consumeWhenParallelThenExactlyOneWins() throws Exception {
        VerificationToken token = VerificationToken.generate(new SecureRandom());
        tokens.save(challenge(token, T0.plus(Duration.ofHours(1))));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return tokens.consume(token.hash()).isPresent();
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> result : results) {
                wins += result.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyCallWhenTableMissingThenStoreUnavailable() {
        var broken = new DynamoDbVerificationTokens(emulated.client(), "no-such-table");
        VerificationToken token = VerificationToken.generate(new SecureRandom());

        assertThatThrownBy(() -> broken.save(challenge(token, T0.plusSeconds(60))))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> broken.consume(token.hash())).isInstanceOf(StoreUnavailableException.class);
    }
}
