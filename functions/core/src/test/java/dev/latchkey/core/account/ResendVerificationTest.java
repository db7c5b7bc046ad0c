package dev.latchkey.core.account;

import static dev.latchkey.core.account.TestAccounts.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.principal.RequestOrigin;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ResendVerificationTest {

    private final TestAccounts accounts = new TestAccounts();

    @Test
    @DisplayName("[6.3.8] Unknown, verified and unverified addresses return alike; only the unverified gets mail")
    void resendWhenUnknownVerifiedOrUnverifiedThenOnlyUnverifiedGetsMail() {
        accounts.registered("verified@example.com");
        accounts.verify.verify(accounts.lastToken(), ORIGIN);
        accounts.registered("pending@example.com");
        int before = accounts.mailer.sent().size();

        assertThatCode(() -> accounts.resend.resend("nobody@example.com", ORIGIN)).doesNotThrowAnyException();
        assertThatCode(() -> accounts.resend.resend("verified@example.com", ORIGIN)).doesNotThrowAnyException();
        assertThatCode(() -> accounts.resend.resend("PENDING@example.com", ORIGIN)).doesNotThrowAnyException();

        assertThat(accounts.mailer.sent()).hasSize(before + 1);
        MailMessage mail = accounts.mailer.sent().get(before);
        assertThat(mail.to()).as("the stored mailbox, not the typed spelling").isEqualTo("pending@example.com");
        assertThat(mail.purpose()).isEqualTo(MailMessage.EMAIL_VERIFICATION);
    }

    @Test
    @DisplayName("Per-address limit: the 6th resend in an hour sends nothing and still returns normally")
    void resendWhenEmailOverLimitThenNothingSent() {
        accounts.registered("ada@example.com");
        int before = accounts.mailer.sent().size();

        for (int i = 0; i < 8; i++) {
            accounts.resend.resend("ada@example.com", RequestOrigin.of("198.51.100." + i, "r" + i));
        }

        assertThat(accounts.mailer.sent()).hasSize(before + 5);
    }

    @Test
    @DisplayName("[15.3.4] Per-IP limit: after 20 requests from one address nothing more is sent")
    void resendWhenIpOverLimitThenNothingSent() {
        for (int i = 0; i < 5; i++) {
            accounts.register.register(TestAccounts.command("u" + i + "@example.com"), RequestOrigin.of("192.0.2." + i,
                    "r"));
        }
        int before = accounts.mailer.sent().size();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 5; i++) {
                accounts.resend.resend("u" + i + "@example.com", ORIGIN);
            }
        }

        assertThat(accounts.mailer.sent()).hasSize(before + 20);
    }

    @Test
    @DisplayName("[16.2.5] Rate-limit buckets hold a hash prefix, never the address")
    void resendWhenCountedThenBucketsHoldNoAddress() {
        accounts.resend.resend("Ada.Lovelace@Example.com", ORIGIN);

        assertThat(accounts.rateLimiter.buckets).containsExactly("resend:ip:203.0.113.10",
                "resend:email:" + ResendVerification.bucketHash(EmailAddress.parse("ada.lovelace@example.com")));
        assertThat(accounts.rateLimiter.buckets).noneMatch(b -> b.toLowerCase().contains("lovelace"));
        assertThat(accounts.rateLimiter.buckets.get(1)).matches("resend:email:[0-9a-f]{32}");
    }

    @Test
    void resendWhenMailFailsThenReturnsNormally() {
        accounts.registered("ada@example.com");
        accounts.mailer.failWith(MailException.unavailable(new IOException("down")));

        assertThatCode(() -> accounts.resend.resend("ada@example.com", ORIGIN)).doesNotThrowAnyException();
    }

    @Test
    void resendWhenInputIsNoAddressThenValidationError() {
        assertThat(catchThrowableOfType(AccountException.class, () -> accounts.resend.resend("nope", ORIGIN))
                .reason()).isEqualTo(AccountException.Reason.INVALID_EMAIL);
        assertThat(catchThrowableOfType(AccountException.class, () -> accounts.resend.resend(null, ORIGIN))
                .reason()).isEqualTo(AccountException.Reason.REQUIRED);
        assertThat(accounts.rateLimiter.buckets).isEmpty();
    }
}
