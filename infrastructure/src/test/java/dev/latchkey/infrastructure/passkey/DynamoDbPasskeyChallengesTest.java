package dev.latchkey.infrastructure.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.passkey.Ceremony;
import dev.latchkey.core.passkey.PasskeyChallenge;
import dev.latchkey.infrastructure.dynamodb.DynamoDbChallenges;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DynamoDbPasskeyChallenges} against the emulated table: single use, per ceremony and user, under races. */
class DynamoDbPasskeyChallengesTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static EmulatedTable emulated;
    private static DynamoDbPasskeyChallenges challenges;

    private final SecureRandom random = new SecureRandom();

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        challenges = new DynamoDbPasskeyChallenges(emulated.client(), EmulatedTable.TABLE);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private PasskeyChallenge registration(String userId) {
        return new PasskeyChallenge(PasskeyChallenge.newId(random), Ceremony.REGISTRATION,
                PasskeyChallenge.newChallenge(random), Optional.of(userId), Optional.of("aGFuZGxl"), T0,
                T0.plusSeconds(300));
    }

    private PasskeyChallenge login(Optional<String> userId) {
        return new PasskeyChallenge(PasskeyChallenge.newId(random), Ceremony.AUTHENTICATION,
                PasskeyChallenge.newChallenge(random), userId, Optional.empty(), T0, T0.plusSeconds(300));
    }

    @Test
    void saveThenConsumeGivesItBackOnceWithEveryField() {
        PasskeyChallenge registration = registration("usr_01JAAAAAAAAAAAAAAAAAAAAAAA");
        PasskeyChallenge usernameless = login(Optional.empty());
        PasskeyChallenge bound = login(Optional.of("usr_01JBBBBBBBBBBBBBBBBBBBBBBB"));
        for (PasskeyChallenge challenge : List.of(registration, usernameless, bound)) {
            challenges.save(challenge);
        }

        assertThat(challenges.consume(registration.id(), Ceremony.REGISTRATION, registration.userId()))
                .contains(registration);
        assertThat(challenges.consume(usernameless.id(), Ceremony.AUTHENTICATION, Optional.empty()))
                .contains(usernameless);
        assertThat(challenges.consume(bound.id(), Ceremony.AUTHENTICATION, Optional.empty())).contains(bound);
        for (PasskeyChallenge challenge : List.of(registration, usernameless, bound)) {
            assertThat(challenges.consume(challenge.id(), challenge.ceremony(), Optional.empty())).isEmpty();
        }
    }

    @Test
    void savedItemCarriesTheTtlAndPurposeButIsNoEmailChallenge() {
        PasskeyChallenge challenge = login(Optional.empty());
        challenges.save(challenge);

        var item = emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE)
                .key(DynamoDbChallenges.key(challenge.id())).consistentRead(true)).item();

        assertThat(item).containsEntry(LatchkeyTable.TTL_ATTRIBUTE,
                AttributeValue.fromN(Long.toString(challenge.expiresAt().getEpochSecond())))
                .containsEntry("purpose", AttributeValue.fromS("webauthn-authentication"));
        assertThat(new DynamoDbChallenges(emulated.client(), EmulatedTable.TABLE)
                .consume("password-reset", challenge.id())).as("no other purpose spends it").isEmpty();
    }

    @Test
    void consumeWhenOtherCeremonyOrOtherUserThenNothingAndTheChallengeStays() {
        PasskeyChallenge registration = registration("usr_01JAAAAAAAAAAAAAAAAAAAAAAA");
        PasskeyChallenge login = login(Optional.empty());
        challenges.save(registration);
        challenges.save(login);

        assertThat(challenges.consume(registration.id(), Ceremony.AUTHENTICATION, Optional.empty())).isEmpty();
        assertThat(challenges.consume(registration.id(), Ceremony.REGISTRATION,
                Optional.of("usr_01JEEEEEEEEEEEEEEEEEEEEEEE"))).isEmpty();
        assertThat(challenges.consume(login.id(), Ceremony.REGISTRATION, Optional.empty())).isEmpty();

        assertThat(challenges.consume(registration.id(), Ceremony.REGISTRATION, registration.userId()))
                .contains(registration);
        assertThat(challenges.consume(login.id(), Ceremony.AUTHENTICATION, Optional.empty())).contains(login);
    }

    @Test
    void consumeWhenExpiredThenStillReturnedForTheCallerToRefuse() {
        PasskeyChallenge expired = new PasskeyChallenge(PasskeyChallenge.newId(random), Ceremony.AUTHENTICATION,
                PasskeyChallenge.newChallenge(random), Optional.empty(), Optional.empty(), T0.minusSeconds(600),
                T0.minusSeconds(300));
        challenges.save(expired);

        Optional<PasskeyChallenge> consumed = challenges.consume(expired.id(), Ceremony.AUTHENTICATION,
                Optional.empty());

        assertThat(consumed).contains(expired);
        assertThat(consumed.orElseThrow().isExpiredAt(T0)).isTrue();
    }

    @Test
    void consumeWhenTenCallersRaceThenExactlyOneGetsIt() throws Exception {
        PasskeyChallenge challenge = login(Optional.empty());
        challenges.save(challenge);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Optional<PasskeyChallenge>>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(pool.submit(() -> challenges.consume(challenge.id(), Ceremony.AUTHENTICATION,
                        Optional.empty())));
            }
            List<Optional<PasskeyChallenge>> results = new ArrayList<>();
            for (Future<Optional<PasskeyChallenge>> future : futures) {
                results.add(future.get());
            }

            assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void saveWhenIdTakenThenRefusedAndThePendingOneKept() {
        PasskeyChallenge first = login(Optional.empty());
        challenges.save(first);
        PasskeyChallenge same = new PasskeyChallenge(first.id(), Ceremony.AUTHENTICATION,
                PasskeyChallenge.newChallenge(random), Optional.empty(), Optional.empty(), T0, T0.plusSeconds(300));

        assertThatThrownBy(() -> challenges.save(same)).isInstanceOf(IllegalStateException.class);
        assertThat(challenges.consume(first.id(), Ceremony.AUTHENTICATION, Optional.empty())).contains(first);
    }
}
