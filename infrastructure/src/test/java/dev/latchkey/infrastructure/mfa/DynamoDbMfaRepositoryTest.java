package dev.latchkey.infrastructure.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.mfa.MfaLoginChallenge;
import dev.latchkey.core.mfa.PendingTotp;
import dev.latchkey.core.mfa.TotpFactor;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MFA items on the Dynoxide emulator with the real key design. */
class DynamoDbMfaRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private static EmulatedTable emulated;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private static DynamoDbMfaRepository repository() {
        return new DynamoDbMfaRepository(emulated.client(), EmulatedTable.TABLE);
    }

    private static String user() {
        return "usr_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static SealedSecret sealed(String text) {
        return SealedSecret.of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<String> hashes(String prefix) {
        return IntStream.range(0, 10).mapToObj(i -> prefix + i).toList();
    }

    /** Enrols {@code userId} with a pending secret activated at step 100. */
    private static TotpFactor enrolled(DynamoDbMfaRepository store, String userId) {
        SealedSecret secret = sealed("sealed-" + userId);
        store.savePending(new PendingTotp(userId, secret, T0, T0.plusSeconds(600)));
        TotpFactor factor = new TotpFactor(userId, secret, T0, Optional.of(T0), 100);
        assertThat(store.activate(factor, hashes("h"))).isTrue();
        return factor;
    }

    @Test
    void activateWhenPendingMatchesThenFactorStoredPendingGoneAndTenCodes() {
        var store = repository();
        String userId = user();

        TotpFactor factor = enrolled(store, userId);

        assertThat(store.findTotp(userId)).hasValue(factor);
        assertThat(store.findPending(userId)).isEmpty();
        assertThat(store.recoveryCodesLeft(userId)).isEqualTo(10);
        var item = emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE).key(Keys.totpFactor(userId)))
                .item();
        assertThat(item.get("secret").s()).isEqualTo(factor.secret().encoded());
        assertThat(item).doesNotContainKey("expiresAt");
    }

    @Test
    void activateWhenPendingReplacedMeanwhileThenNothingWritten() {
        var store = repository();
        String userId = user();
        store.savePending(new PendingTotp(userId, sealed("first"), T0, T0.plusSeconds(600)));
        store.savePending(new PendingTotp(userId, sealed("second"), T0, T0.plusSeconds(600)));

        boolean activated = store.activate(new TotpFactor(userId, sealed("first"), T0, Optional.empty(), 1),
                hashes("x"));

        assertThat(activated).isFalse();
        assertThat(store.findTotp(userId)).isEmpty();
        assertThat(store.recoveryCodesLeft(userId)).isZero();
        assertThat(store.findPending(userId).orElseThrow().secret()).isEqualTo(sealed("second"));
    }

    @Test
    void reEnrolmentWhenActivatedThenOldCodesReplacedAndFactorReplaced() {
        var store = repository();
        String userId = user();
        enrolled(store, userId);
        store.savePending(new PendingTotp(userId, sealed("new"), T0, T0.plusSeconds(600)));

        assertThat(store.activate(new TotpFactor(userId, sealed("new"), T0, Optional.empty(), 200), hashes("n")))
                .isTrue();

        assertThat(store.findTotp(userId).orElseThrow().secret()).isEqualTo(sealed("new"));
        assertThat(store.consumeRecoveryCode(userId, "h0", T0)).isFalse();
        assertThat(store.consumeRecoveryCode(userId, "n0", T0)).isTrue();
        assertThat(store.recoveryCodesLeft(userId)).isEqualTo(9);
    }

    @Test
    void acceptStepWhenSameOrOlderStepThenRefusedAndLaterAccepted() {
        var store = repository();
        String userId = user();
        enrolled(store, userId);

        assertThat(store.acceptStep(userId, 100, T0)).as("the confirming step").isFalse();
        assertThat(store.acceptStep(userId, 99, T0)).isFalse();
        assertThat(store.acceptStep(userId, 101, T0.plusSeconds(30))).isTrue();
        assertThat(store.acceptStep(userId, 101, T0.plusSeconds(31))).isFalse();
        assertThat(store.findTotp(userId).orElseThrow().lastStep()).isEqualTo(101);
        assertThat(store.findTotp(userId).orElseThrow().lastUsedAt()).hasValue(T0.plusSeconds(30));
        assertThat(store.acceptStep(user(), 5, T0)).as("no factor").isFalse();
    }

    /** RFC 6238 §5.2 under parallel requests: one step is accepted exactly once. */
    @Test
    void acceptStepWhenSameStepInParallelThenExactlyOneSucceeds() throws Exception {
        var store = repository();
        String userId = user();
        enrolled(store, userId);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<Boolean> attempt = () -> {
                go.await();
                return store.acceptStep(userId, 101, T0);
            };
            results.add(pool.submit(attempt));
        }
        go.countDown();
        int accepted = 0;
        for (Future<Boolean> result : results) {
            accepted += result.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(accepted).isEqualTo(1);
    }

    @Test
    void consumeRecoveryCodeWhenSameCodeInParallelThenExactlyOneSucceeds() throws Exception {
        var store = repository();
        String userId = user();
        enrolled(store, userId);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Callable<Boolean> attempt = () -> {
                go.await();
                return store.consumeRecoveryCode(userId, "h3", T0);
            };
            results.add(pool.submit(attempt));
        }
        go.countDown();
        int spent = 0;
        for (Future<Boolean> result : results) {
            spent += result.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(spent).isEqualTo(1);
        assertThat(store.recoveryCodesLeft(userId)).isEqualTo(9);
    }

    @Test
    void replaceAndRemoveWhenCalledThenCodesAndFactorGone() {
        var store = repository();
        String userId = user();
        enrolled(store, userId);

        store.replaceRecoveryCodes(userId, hashes("r"), T0);
        assertThat(store.consumeRecoveryCode(userId, "h1", T0)).isFalse();
        assertThat(store.consumeRecoveryCode(userId, "r1", T0)).isTrue();

        assertThat(store.remove(userId)).isTrue();
        assertThat(store.findTotp(userId)).isEmpty();
        assertThat(store.recoveryCodesLeft(userId)).isZero();
        assertThat(store.remove(userId)).isFalse();
    }

    @Test
    void mfaLoginTokenWhenConsumedThenOnceAndNotAPasswordReset() {
        var tokens = new DynamoDbMfaLoginTokens(emulated.client(), EmulatedTable.TABLE);
        String hash = UUID.randomUUID().toString().replace("-", "");
        tokens.save(new MfaLoginChallenge(hash, "usr_1", "ada@example.com", List.of("pwd"), T0,
                T0.plusSeconds(300)));

        assertThat(tokens.find(hash)).hasValueSatisfying(c -> assertThat(c.firstFactorAmr()).containsExactly("pwd"));
        assertThat(new dev.latchkey.infrastructure.login.DynamoDbPasswordResetTokens(emulated.client(),
                EmulatedTable.TABLE).consume(hash)).isEmpty();
        assertThat(tokens.consume(hash)).isPresent();
        assertThat(tokens.consume(hash)).isEmpty();
        assertThatThrownBy(() -> tokens.save(new MfaLoginChallenge("other", "usr_1", "ada@example.com",
                List.of("hwk"), T0, T0.plusSeconds(300)))).isInstanceOf(IllegalArgumentException.class);
    }
}
