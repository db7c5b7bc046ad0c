package dev.latchkey.core.account;

import static dev.latchkey.core.account.TestAccounts.ORIGIN;
import static dev.latchkey.core.account.TestAccounts.STRONG_PASSWORD;
import static dev.latchkey.core.account.TestAccounts.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.audit.ActorType;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Target;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.store.StoreUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RegisterUserTest {

    private final TestAccounts accounts = new TestAccounts();

    @Test
    @DisplayName("Registration writes user, personal org, owner membership and account.registered, then mails a token")
    void registerWhenValidThenAccountOrganizationMembershipAuditAndVerificationMail() {
        RegisteredAccount result = accounts.registered("  Ada.Lovelace@Example.COM ");

        User user = result.user();
        assertThat(user.id()).startsWith("usr_");
        assertThat(user.email().display()).isEqualTo("Ada.Lovelace@Example.COM");
        assertThat(user.email().canonical()).isEqualTo("ada.lovelace@example.com");
        assertThat(user.name()).isEqualTo("Ada Lovelace");
        assertThat(user.emailVerified()).isFalse();
        assertThat(user.createdAt()).isEqualTo(T0);
        assertThat(user.passwordHash()).startsWith("$test$").doesNotContain(STRONG_PASSWORD);
        assertThat(result.organization().id()).isEqualTo(user.personalOrganizationId()).startsWith("org_");
        assertThat(result.organization().name()).isEqualTo("Ada Lovelace's organization");
        assertThat(result.organization().createdBy()).isEqualTo(user.id());
        assertThat(result.verificationMailSent()).isTrue();
        assertThat(accounts.users.findByEmail("ada.lovelace@example.com")).contains(user);
        assertThat(accounts.users.memberships()).containsExactly(
                java.util.Map.entry(result.organization().id() + "/" + user.id(), "owner"));

        AuditEvent event = accounts.auditLog.events(RegisterUser.ACTION).get(0);
        assertThat(event.organizationId()).contains(result.organization().id());
        assertThat(event.actor().type()).isEqualTo(ActorType.USER);
        assertThat(event.actor().id()).isEqualTo(user.id());
        assertThat(event.target()).contains(new Target("user", user.id()));
        assertThat(event.sourceIp()).contains("203.0.113.10");
        assertThat(event.requestId()).isEqualTo("req-1");

        MailMessage mail = accounts.mailer.latest(MailMessage.EMAIL_VERIFICATION).orElseThrow();
        assertThat(mail.to()).isEqualTo("Ada.Lovelace@example.com");
        assertThat(mail.text()).contains("https://id.example.com/v1/auth/email/verify", accounts.lastToken());
        EmailVerificationChallenge pending = accounts.tokens.pending().get(0);
        assertThat(pending.userId()).isEqualTo(user.id());
        assertThat(pending.canonicalEmail()).isEqualTo("ada.lovelace@example.com");
        assertThat(pending.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(pending.tokenHash()).isEqualTo(VerificationToken.parse(accounts.lastToken()).orElseThrow().hash());
    }

    @Test
    @DisplayName("[2.3.3] A taken email answers 409 CONFLICT without naming the address; nothing more is written")
    void registerWhenEmailTakenThenConflict() {
        accounts.registered("ada@example.com");

        AccountException e = catchThrowableOfType(AccountException.class,
                () -> accounts.register.register(RegisterUserCommand.of("ada@example.com", "another long passphrase 7",
                        "Someone Else"), ORIGIN));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.reason()).isEqualTo(AccountException.Reason.EMAIL_TAKEN);
        assertThat(e.getMessage()).doesNotContain("ada", "example");
        assertThat(e.details().toString()).doesNotContain("ada@", "example.com");
        assertThat(accounts.users.users()).hasSize(1);
        assertThat(accounts.users.organizations()).hasSize(1);
        assertThat(accounts.auditLog.events(RegisterUser.ACTION)).hasSize(1);
        assertThat(accounts.mailer.sent()).hasSize(1);
    }

    @Test
    @DisplayName("issue 11 §7: silent sign-up of a new address creates the account and mails the verification token")
    void registerSilentlyWhenNewAddressThenAccountAndVerificationMail() {
        accounts.register.registerSilently(TestAccounts.command("ada@example.com"), ORIGIN);

        assertThat(accounts.users.findByEmail("ada@example.com")).isPresent();
        assertThat(accounts.mailer.sent()).extracting(MailMessage::purpose)
                .containsExactly(MailMessage.EMAIL_VERIFICATION);
        assertThat(accounts.hasher.hashed()).hasSize(1);
        assertThat(accounts.rateLimiter.buckets).contains("register:email:"
                + ResendVerification.bucketHash(EmailAddress.parse("ada@example.com")));
    }

    @Test
    @DisplayName("issue 11 §7: silent sign-up of a taken address creates nothing, hashes all the same and mails the "
            + "owner's stored address a notice without a token")
    void registerSilentlyWhenEmailTakenThenNothingCreatedAndOwnerNoticed() {
        User owner = accounts.registered("Ada@Example.com").user();
        int hashesBefore = accounts.hasher.hashed().size();

        accounts.register.registerSilently(RegisterUserCommand.of("ada@example.com", "another long passphrase 7",
                "Mallory"), ORIGIN);

        assertThat(accounts.users.users()).containsExactly(owner);
        assertThat(accounts.users.organizations()).hasSize(1);
        assertThat(accounts.auditLog.events(RegisterUser.ACTION)).hasSize(1);
        assertThat(accounts.hasher.hashed()).as("the same work as for a new address").hasSize(hashesBefore + 1);
        MailMessage notice = accounts.mailer.sent().get(accounts.mailer.sent().size() - 1);
        assertThat(notice.purpose()).isEqualTo(SignUpAttemptNotice.PURPOSE);
        assertThat(notice.to()).isEqualTo(owner.email().mailbox());
        assertThat(notice.text()).doesNotContain("lkv_", "Mallory").contains(TestAccounts.ISSUER
                + "/v1/auth/password/forgot");
    }

    @Test
    @DisplayName("issue 11 §7: the notice cannot be used to spam: 3 sign-up mails per address a day (the account's "
            + "own verification mail included), then silence")
    void registerSilentlyWhenTakenAddressTriedOftenThenThreeSignUpMailsADay() {
        accounts.register.registerSilently(TestAccounts.command("ada@example.com"), ORIGIN);
        for (int i = 0; i < 6; i++) {
            accounts.register.registerSilently(RegisterUserCommand.of("ada@example.com", "another long passphrase 7",
                    "Mallory"), RequestOrigin.of("203.0.113." + (20 + i), "req-" + i));
        }
        assertThat(accounts.mailer.sent()).extracting(MailMessage::purpose).containsExactly(
                MailMessage.EMAIL_VERIFICATION, SignUpAttemptNotice.PURPOSE, SignUpAttemptNotice.PURPOSE);

        accounts.clock.advance(Duration.ofDays(1));
        accounts.register.registerSilently(RegisterUserCommand.of("ada@example.com", "another long passphrase 7",
                "Mallory"), RequestOrigin.of("203.0.113.40", "req-late"));
        assertThat(accounts.mailer.sent()).filteredOn(m -> m.purpose().equals(SignUpAttemptNotice.PURPOSE))
                .hasSize(3);
        assertThat(accounts.users.users()).hasSize(1);
    }

    @Test
    @DisplayName("issue 11 §7: silent sign-up still refuses a weak password with 400 (a property of the input)")
    void registerSilentlyWhenWeakPasswordThenValidationErrorAndNothingWritten() {
        AccountException e = catchThrowableOfType(AccountException.class, () -> accounts.register.registerSilently(
                RegisterUserCommand.of("ada@example.com", "password", "Ada"), ORIGIN));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(accounts.users.users()).isEmpty();
        assertThat(accounts.mailer.sent()).isEmpty();
    }

    @Test
    @DisplayName("[15.4.2] 50 parallel registrations of one email: exactly one user, 49 CONFLICT")
    void registerWhenFiftyParallelRegistrationsOfOneEmailThenExactlyOneWins() throws Exception {
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RequestOrigin origin = RequestOrigin.of("198.51.100." + i, "req-" + i);
                Callable<String> attempt = () -> {
                    start.await();
                    try {
                        accounts.register.register(TestAccounts.command("race@example.com"), origin);
                        return "created";
                    } catch (LatchkeyException e) {
                        return e.code().name();
                    }
                };
                results.add(pool.submit(attempt));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> result : results) {
                outcomes.add(result.get());
            }
            assertThat(outcomes).filteredOn("created"::equals).hasSize(1);
            assertThat(outcomes).filteredOn("CONFLICT"::equals).hasSize(n - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(accounts.users.users()).hasSize(1);
        assertThat(accounts.users.organizations()).hasSize(1);
        assertThat(accounts.users.memberships()).hasSize(1);
        assertThat(accounts.auditLog.events(RegisterUser.ACTION)).hasSize(1);
    }

    @Test
    @DisplayName("[2.3.3] Look-alikes (full-width, Kelvin sign, case) collide with the ASCII address")
    void registerWhenLookAlikeOfTakenEmailThenConflict() {
        accounts.registered("kate@example.com");

        for (String lookAlike : List.of("\u212Aate@example.com", "ｋａｔｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "KATE@EXAMPLE.COM")) {
            AccountException e = catchThrowableOfType(AccountException.class,
                    () -> accounts.register.register(TestAccounts.command(lookAlike), ORIGIN));
            assertThat(e).as(lookAlike).isNotNull();
            assertThat(e.reason()).isEqualTo(AccountException.Reason.EMAIL_TAKEN);
        }
        assertThat(accounts.users.users()).hasSize(1);
    }

    @Test
    @DisplayName("[6.2.4] A common password answers 400 TOO_COMMON; nothing is hashed, written or mailed")
    void registerWhenWeakPasswordThenValidationErrorAndNothingHashed() {
        AccountException e = catchThrowableOfType(AccountException.class, () -> accounts.register.register(
                RegisterUserCommand.of("ada@example.com", "password123456", "Ada"), ORIGIN));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.reason()).isEqualTo(AccountException.Reason.TOO_COMMON);
        assertThat(e.getMessage()).doesNotContain("password123456");
        assertThat(accounts.hasher.hashed()).isEmpty();
        assertThat(accounts.users.users()).isEmpty();
        assertThat(accounts.mailer.sent()).isEmpty();
    }

    @Test
    @DisplayName("[6.2.4] A password built from the account's own name or email is refused")
    void registerWhenPasswordContainsOwnNameThenTooCommon() {
        AccountException e = catchThrowableOfType(AccountException.class, () -> accounts.register.register(
                RegisterUserCommand.of("zed@example.com", "lovelace lovelace 1815", "Ada Lovelace"), ORIGIN));

        assertThat(e.reason()).isEqualTo(AccountException.Reason.TOO_COMMON);
    }

    @Test
    @DisplayName("[6.2.1, 6.2.9] Too short and too long passwords are refused before any hashing")
    void registerWhenPasswordTooShortOrTooLongThenRejectedBeforeHashing() {
        AccountException shortOne = catchThrowableOfType(AccountException.class, () -> accounts.register.register(
                RegisterUserCommand.of("ada@example.com", "k7#Vb2mQ9wL", "Ada"), ORIGIN));
        AccountException longOne = catchThrowableOfType(AccountException.class, () -> accounts.register.register(
                RegisterUserCommand.of("ada@example.com", "x".repeat(PasswordPolicy.MAX_LENGTH + 1), "Ada"), ORIGIN));

        assertThat(shortOne.reason()).isEqualTo(AccountException.Reason.TOO_SHORT);
        assertThat(longOne.reason()).isEqualTo(AccountException.Reason.TOO_LONG);
        assertThat(accounts.hasher.hashed()).isEmpty();
        assertThat(accounts.strength.assessed()).isEmpty();
    }

    @Test
    @DisplayName("[6.2.5] The password is hashed in NFKC form, unchanged otherwise")
    void registerWhenPasswordHasCompatibilityCharactersThenNfkcIsHashed() {
        accounts.register.register(RegisterUserCommand.of("ada@example.com", "  ｃｏｒｒｅｃｔ horse battery  ",
                "Ada"), ORIGIN);

        assertThat(accounts.hasher.hashed()).containsExactly("  correct horse battery  ");
    }

    @Test
    @DisplayName("Registrations per source IP are limited: the 11th in an hour is 429 with Retry-After")
    void registerWhenIpOverLimitThenRateLimitedWithHeaders() {
        for (int i = 0; i < 10; i++) {
            accounts.registered("user" + i + "@example.com");
        }

        RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
                () -> accounts.registered("user10@example.com"));

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.headers()).containsKeys("retry-after", "ratelimit-limit", "x-ratelimit-remaining");
        assertThat(e.headers()).containsEntry("ratelimit-limit", "10");
        assertThat(accounts.users.users()).hasSize(10);
        assertThat(accounts.rateLimiter.buckets).allMatch(b -> b.equals("register:ip:203.0.113.10"));
        accounts.clock.advance(Duration.ofHours(1));
        assertThat(accounts.registered("user10@example.com").user().id()).startsWith("usr_");
    }

    @Test
    @DisplayName("Mail down after the commit: 201-style success, account exists, resend sends the mail later")
    void registerWhenMailFailsThenAccountExistsAndResendRecovers() {
        accounts.mailer.failWith(MailException.unavailable(new IOException("disk full")));

        RegisteredAccount result = accounts.registered("ada@example.com");

        assertThat(result.verificationMailSent()).isFalse();
        assertThat(accounts.users.findByEmail("ada@example.com")).isPresent();
        accounts.mailer.failWith(null);
        accounts.resend.resend("ada@example.com", ORIGIN);
        assertThat(accounts.mailer.sent()).hasSize(1);
        assertThat(accounts.verify.verify(accounts.lastToken(), ORIGIN).emailVerified()).isTrue();
    }

    @Test
    @DisplayName("[16.5.3] Store down: 503, nothing hashed into a half-written account")
    void registerWhenStoreUnavailableThenServiceUnavailable() {
        accounts.users.failWith(new StoreUnavailableException(new RuntimeException("throttled")));

        LatchkeyException e = catchThrowableOfType(LatchkeyException.class,
                () -> accounts.registered("a@example.com"));

        assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(accounts.mailer.sent()).isEmpty();
        assertThat(accounts.auditLog.events()).isEmpty();
    }

    @Test
    void registerWhenSourceIpUnknownThenSharedUnknownBucketAndNoIpInAudit() {
        accounts.register.register(TestAccounts.command("ada@example.com"), RequestOrigin.of("", "req-2"));

        assertThat(accounts.rateLimiter.buckets).containsExactly("register:ip:unknown");
        assertThat(accounts.auditLog.events().get(0).sourceIp()).isEqualTo(Optional.empty());
    }
}
