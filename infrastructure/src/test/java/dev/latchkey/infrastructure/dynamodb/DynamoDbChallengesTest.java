package dev.latchkey.infrastructure.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DynamoDbChallengesTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static EmulatedTable emulated;
    private static DynamoDbChallenges challenges;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        challenges = new DynamoDbChallenges(emulated.client(), EmulatedTable.TABLE);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private static DynamoDbChallenges.Stored challenge() {
        String hash = UUID.randomUUID().toString().replace("-", "");
        return new DynamoDbChallenges.Stored(hash, "usr_1", "ada@example.com", T0, T0.plusSeconds(1800));
    }

    @Test
    void findThenConsumeOnceAndOnlyForItsOwnPurpose() {
        var stored = challenge();
        challenges.save("password-reset", stored);

        assertThat(challenges.find("email-verification", stored.tokenHash())).isEmpty();
        assertThat(challenges.consume("email-verification", stored.tokenHash())).as("other purpose").isEmpty();
        assertThat(challenges.find("password-reset", stored.tokenHash())).hasValue(stored);
        assertThat(challenges.consume("password-reset", stored.tokenHash())).hasValue(stored);
        assertThat(challenges.consume("password-reset", stored.tokenHash())).as("single use").isEmpty();
        assertThat(challenges.find("password-reset", stored.tokenHash())).isEmpty();
    }

    @Test
    void saveWhenHashAlreadyStoredThenRefusedAndThePendingOneKept() {
        var stored = challenge();
        challenges.save("email-verification", stored);
        var other = new DynamoDbChallenges.Stored(stored.tokenHash(), "usr_2", "eve@example.com", T0, T0);
        assertThatThrownBy(() -> challenges.save("email-verification", other))
                .isInstanceOf(IllegalStateException.class);
        assertThat(challenges.find("email-verification", stored.tokenHash())).hasValue(stored);
    }
}
