package dev.latchkey.infrastructure.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.authorize.AuthorizationCodes;
import dev.latchkey.core.authorize.IssueAuthorizationCode;
import dev.latchkey.core.authorize.Pkce;
import dev.latchkey.core.authorize.RedeemAuthorizationCode;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authorization codes on the emulator with the real key design: hashed, single-use under races, replay revokes. */
class DynamoDbAuthorizationCodesTest {

    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

    private static EmulatedTable emulated;
    private static DynamoDbAuthorizationCodes codes;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        codes = new DynamoDbAuthorizationCodes(emulated.client(), EmulatedTable.TABLE);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private static String issue() {
        return new IssueAuthorizationCode(codes, Duration.ofSeconds(60), CLOCK, new SecureRandom()).issue(
                new IssueAuthorizationCode.Grant("app_a", "https://rp.example/cb", new Pkce(CHALLENGE), "usr_1",
                        "ses_1", List.of("openid", "email"), Optional.of("n1"), CLOCK.instant(), List.of("pwd")));
    }

    @Test
    void redeemWhenStoredThenTheGrantRoundTripsAndOnlyTheHashIsAKey() {
        String code = issue();
        var item = emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE)
                .key(Keys.challenge(AuthorizationCodes.hash(code)))).item();

        var grant = new RedeemAuthorizationCode(codes, kid -> { }, CLOCK)
                .redeem(code, "app_a", "https://rp.example/cb", VERIFIER).orElseThrow();

        assertThat(item.toString()).doesNotContain(code);
        assertThat(grant.scope()).containsExactly("openid", "email");
        assertThat(grant.nonce()).contains("n1");
        assertThat(grant.amr()).containsExactly("pwd");
        assertThat(grant.expiresAt()).isEqualTo(CLOCK.instant().plusSeconds(60));
    }

    @Test
    void redeemWhenReplayedThenRefusedAndTheRecordedGrantRevoked() {
        String code = issue();
        List<String> revoked = new ArrayList<>();
        RedeemAuthorizationCode redeem = new RedeemAuthorizationCode(codes, revoked::add, CLOCK);
        var grant = redeem.redeem(code, "app_a", "https://rp.example/cb", VERIFIER).orElseThrow();
        redeem.issued(grant, "ses_issued");

        assertThat(redeem.redeem(code, "app_a", "https://rp.example/cb", VERIFIER)).isEmpty();
        assertThat(revoked).containsExactly("ses_issued");
    }

    @Test
    void consumeWhenEightRequestsRaceThenExactlyOneFirstUse() throws Exception {
        String hash = AuthorizationCodes.hash(issue());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> codes.consume(hash).orElseThrow().firstUse());
            }
            long first = 0;
            for (Future<Boolean> result : pool.invokeAll(calls)) {
                first += result.get() ? 1 : 0;
            }
            assertThat(first).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void consumeWhenUnknownOrAnotherPurposeThenEmpty() {
        assertThat(codes.consume(AuthorizationCodes.hash("never-issued"))).isEmpty();
    }
}
