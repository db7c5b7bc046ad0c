package dev.latchkey.core.account;

import static dev.latchkey.core.account.TestAccounts.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VerifyEmailTest {

    private final TestAccounts accounts = new TestAccounts();

    private AccountException refused(String token) {
        AccountException e = catchThrowableOfType(AccountException.class, () -> accounts.verify.verify(token, ORIGIN));
        assertThat(e).as("expected the token to be refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.reason()).isEqualTo(AccountException.Reason.INVALID_TOKEN);
        assertThat(e.getMessage()).isEqualTo("Verification token is invalid or has expired.");
        if (token != null && !token.isEmpty()) {
            assertThat(e.getMessage()).doesNotContain(token);
        }
        return e;
    }

    @Test
    @DisplayName("A valid token verifies the address and leaves account.email_verified in the user's organization")
    void verifyWhenTokenValidThenEmailVerifiedAndAudited() {
        RegisteredAccount account = accounts.registered("ada@example.com");

        User user = accounts.verify.verify(accounts.lastToken(), ORIGIN);

        assertThat(user.id()).isEqualTo(account.user().id());
        assertThat(user.emailVerified()).isTrue();
        assertThat(accounts.users.findById(user.id()).orElseThrow().emailVerified()).isTrue();
        AuditEvent event = accounts.auditLog.events(VerifyEmail.ACTION).get(0);
        assertThat(event.organizationId()).contains(account.organization().id());
        assertThat(event.actor().id()).isEqualTo(user.id());
        assertThat(accounts.tokens.pending()).isEmpty();
    }

    @Test
    @DisplayName("A token works once: the second use and any replay are refused with the same answer")
    void verifyWhenTokenUsedTwiceThenSecondRefused() {
        accounts.registered("ada@example.com");
        String token = accounts.lastToken();
        accounts.verify.verify(token, ORIGIN);

        refused(token);
        refused(token);
        assertThat(accounts.auditLog.events(VerifyEmail.ACTION)).hasSize(1);
    }

    @Test
    @DisplayName("Two parallel uses of one token: exactly one succeeds")
    void verifyWhenSameTokenUsedInParallelThenExactlyOneSucceeds() throws Exception {
        accounts.registered("ada@example.com");
        String token = accounts.lastToken();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        accounts.verify.verify(token, ORIGIN);
                        return true;
                    } catch (AccountException e) {
                        return false;
                    }
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
    @DisplayName("An expired token is refused even though its item is still stored; one second before, it works")
    void verifyWhenExpiredButStillStoredThenRefused() {
        accounts.registered("ada@example.com");
        String token = accounts.lastToken();
        accounts.clock.advance(Duration.ofHours(24));

        assertThat(accounts.tokens.pending()).hasSize(1);
        refused(token);
        assertThat(accounts.users.users().get(0).emailVerified()).isFalse();

        accounts.resend.resend("ada@example.com", ORIGIN);
        accounts.clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(accounts.verify.verify(accounts.lastToken(), ORIGIN).emailVerified()).isTrue();
    }

    @Test
    @DisplayName("Malformed, unknown, null and wrong-prefix tokens get the same answer")
    void verifyWhenTokenMalformedOrUnknownThenSameError() {
        accounts.registered("ada@example.com");
        String real = accounts.lastToken();

        refused(null);
        refused("");
        refused("lkv_short");
        refused("lkr_" + real.substring(4));
        refused(real + "A");
        refused(VerificationToken.generate(new SecureRandom()).value());
        assertThat(accounts.tokens.pending()).hasSize(1);
    }

    @Test
    @DisplayName("A token issued for an address the user no longer has is refused")
    void verifyWhenEmailChangedSinceTokenWasIssuedThenRefused() {
        RegisteredAccount account = accounts.registered("ada@example.com");
        String token = accounts.lastToken();
        accounts.users.changeEmail(account.user().id(), EmailAddress.parse("ada@new.example.org"));

        refused(token);
        assertThat(accounts.users.findById(account.user().id()).orElseThrow().emailVerified()).isFalse();
    }
}
