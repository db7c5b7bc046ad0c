package dev.latchkey.core.mfa;

import static dev.latchkey.core.mfa.MfaFixture.ORIGIN;
import static dev.latchkey.core.mfa.MfaFixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.login.LoginResult;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.StepUpRequiredException;
import dev.latchkey.core.session.TokenResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Enrolment, sign-in with a second factor, recovery codes, replay, throttle and management, on in-memory fakes. */
class MfaFlowsTest {

    private final MfaFixture m = new MfaFixture();

    private LoginResult.MfaRequired passwordStep() {
        LoginResult result = m.passwordLogin.login("ada@example.com", PASSWORD, ORIGIN);
        assertThat(result).isInstanceOf(LoginResult.MfaRequired.class);
        return (LoginResult.MfaRequired) result;
    }

    private List<String> amr(TokenResponse tokens) {
        return m.f.verifier().verify(tokens.accessToken()).claims().amr();
    }

    private static ErrorCode code(Throwable thrown) {
        return ((LatchkeyException) thrown).code();
    }

    @Test
    void startWhenSignedInThenUriSecretAndQrAndSecretSealedNotStoredPlain() {
        AuthenticatedUser caller = m.signedIn(m.ada);

        TotpEnrolment.Started started = m.enrolment.start(caller, null, null, ORIGIN);

        assertThat(started.otpauthUri()).startsWith("otpauth://totp/Latchkey:ada%40example.com?secret="
                + started.secret() + "&issuer=Latchkey&algorithm=SHA1&digits=6&period=30");
        assertThat(Base32.decode(started.secret())).hasSize(20);
        assertThat(started.qrSvg()).startsWith("<svg>");
        PendingTotp pending = m.factors.findPending(m.ada.id()).orElseThrow();
        assertThat(pending.secret().encoded()).doesNotContain(started.secret());
        assertThat(m.f.vault.open(pending.secret(), TotpSecrets.context(m.ada.id())))
                .isEqualTo(Base32.decode(started.secret()));
        assertThat(m.factors.findTotp(m.ada.id())).isEmpty();
        assertThat(started.toString()).doesNotContain(started.secret());
    }

    @Test
    void startWhenSignInOlderThanTenMinutesThenStepUpRequiredAndNothingPending() {
        AuthenticatedUser caller = m.signedIn(m.ada);
        m.f.clock.advance(StepUp.MAX_AGE.plusSeconds(1));

        Throwable thrown = catchThrowable(() -> m.enrolment.start(caller, null, null, ORIGIN));

        assertThat(thrown).isInstanceOf(StepUpRequiredException.class);
        assertThat(((StepUpRequiredException) thrown).headers().get("www-authenticate"))
                .contains("max_age=\"600\"").doesNotContain("acr_values");
        assertThat(m.factors.findPending(m.ada.id())).isEmpty();
    }

    @Test
    void confirmWhenFirstCodeValidThenActiveWithTenRecoveryCodesAndAudited() {
        MfaFixture.App app = m.enrol(m.ada);

        assertThat(app.recoveryCodes()).hasSize(10).doesNotHaveDuplicates()
                .allMatch(c -> c.matches("[a-z2-7]{5}-[a-z2-7]{5}"));
        assertThat(m.factors.findPending(m.ada.id())).isEmpty();
        assertThat(m.factors.recoveryCodesLeft(m.ada.id())).isEqualTo(10);
        assertThat(m.f.audit.events("mfa.totp.enrolled")).hasSize(1);
        assertThat(m.manage.status(m.signedIn(m.ada)).enabled()).isTrue();
    }

    @Test
    void confirmWhenWrongCodeThenUnauthorizedAndNotActive() {
        AuthenticatedUser caller = m.signedIn(m.ada);
        TotpEnrolment.Started started = m.enrolment.start(caller, null, null, ORIGIN);
        String right = Totp.code(Base32.decode(started.secret()), Totp.step(m.f.clock.instant()),
                Totp.Algorithm.SHA1, 6);
        String wrong = right.equals("000000") ? "111111" : "000000";

        Throwable thrown = catchThrowable(() -> m.enrolment.confirm(caller, wrong, ORIGIN));

        assertThat(code(thrown)).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(m.factors.findTotp(m.ada.id())).isEmpty();
        assertThat(m.f.audit.events("mfa.verify_failed")).hasSize(1);
    }

    @Test
    void confirmWhenPendingExpiredThenConflict() {
        AuthenticatedUser caller = m.signedIn(m.ada);
        TotpEnrolment.Started started = m.enrolment.start(caller, null, null, ORIGIN);
        m.f.clock.advance(Duration.ofMinutes(TotpEnrolment.PENDING_MINUTES).plusSeconds(1));
        String right = Totp.code(Base32.decode(started.secret()), Totp.step(m.f.clock.instant()),
                Totp.Algorithm.SHA1, 6);

        assertThat(code(catchThrowable(() -> m.enrolment.confirm(caller, right, ORIGIN))))
                .isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void passwordLoginWhenUserHasTotpThenMfaRequiredAndNoSession() {
        m.enrol(m.ada);
        int sessionsBefore = m.f.sessions.tokens().size();

        LoginResult.MfaRequired step = passwordStep();

        assertThat(step.mfaToken()).startsWith("lkm_");
        assertThat(step.methods()).containsExactly("totp", "recovery_code");
        assertThat(step.expiresIn()).isEqualTo(300);
        assertThat(m.f.sessions.tokens()).hasSize(sessionsBefore);
        assertThat(m.f.audit.events("auth.login.mfa_required")).hasSize(1);
        assertThatThrownBy(step::tokens).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void passwordLoginWhenUserHasNoSecondFactorThenTokensWithPwd() {
        TokenResponse tokens = m.passwordLogin.login("ada@example.com", PASSWORD, ORIGIN).tokens();

        assertThat(amr(tokens)).containsExactly("pwd");
    }

    @Test
    void mfaLoginWhenCodeValidThenTokensWithPwdOtpMfaAndTokenSingleUse() {
        MfaFixture.App app = m.enrol(m.ada);
        LoginResult.MfaRequired step = passwordStep();

        TokenResponse tokens = m.mfaLogin.finish(step.mfaToken(), app.code(m.f.clock.instant()), null, ORIGIN);

        assertThat(tokens.user().id()).isEqualTo(m.ada.id());
        assertThat(amr(tokens)).containsExactly("pwd", "otp", "mfa");
        AuditEvent succeeded = m.f.audit.events("auth.login.succeeded").get(0);
        assertThat(succeeded.details()).containsEntry("method", "password+totp");
        m.nextStep();
        assertThat(code(catchThrowable(() -> m.mfaLogin.finish(step.mfaToken(), app.code(m.f.clock.instant()),
                null, ORIGIN)))).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
    }

    @Test
    void mfaLoginWhenSameCodeReplayedThenRefused() {
        MfaFixture.App app = m.enrol(m.ada);
        String code = app.code(m.f.clock.instant());
        m.mfaLogin.finish(passwordStep().mfaToken(), code, null, ORIGIN);
        String second = passwordStep().mfaToken();

        Throwable thrown = catchThrowable(() -> m.mfaLogin.finish(second, code, null, ORIGIN));

        assertThat(code(thrown)).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(m.f.audit.events("mfa.verify_failed").get(0).details()).containsEntry("reason", "replayed_code");
    }

    @Test
    void mfaLoginWhenConfirmingCodeReusedThenRefused() {
        AuthenticatedUser caller = m.signedIn(m.ada);
        TotpEnrolment.Started started = m.enrolment.start(caller, null, null, ORIGIN);
        byte[] secret = Base32.decode(started.secret());
        String code = Totp.code(secret, Totp.step(m.f.clock.instant()), Totp.Algorithm.SHA1, 6);
        m.enrolment.confirm(caller, code, ORIGIN);

        assertThat(code(catchThrowable(() -> m.mfaLogin.finish(passwordStep().mfaToken(), code, null, ORIGIN))))
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
    }

    @Test
    void mfaLoginWhenSameCodeSentInParallelThenExactlyOneSession() throws Exception {
        MfaFixture.App app = m.enrol(m.ada);
        String code = app.code(m.f.clock.instant());
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tokens.add(passwordStep().mfaToken());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (String token : tokens) {
            Callable<Boolean> attempt = () -> {
                start.await();
                try {
                    m.mfaLogin.finish(token, code, null, ORIGIN);
                    return true;
                } catch (MfaException e) {
                    return false;
                }
            };
            results.add(pool.submit(attempt));
        }
        start.countDown();
        int successes = 0;
        for (Future<Boolean> result : results) {
            successes += result.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(successes).isEqualTo(1);
    }

    @Test
    void mfaLoginWhenRecoveryCodeThenTokensWithPwdMfaCodeSpentAuditedAndMailed() {
        MfaFixture.App app = m.enrol(m.ada);
        String recovery = app.recoveryCodes().get(3).toUpperCase();

        TokenResponse tokens = m.mfaLogin.finish(passwordStep().mfaToken(), null, recovery, ORIGIN);

        assertThat(amr(tokens)).containsExactly("pwd", "mfa");
        assertThat(m.factors.recoveryCodesLeft(m.ada.id())).isEqualTo(9);
        assertThat(m.f.audit.events("mfa.recovery_code.used").get(0).details()).containsEntry("left", "9")
                .doesNotContainValue(recovery);
        assertThat(m.mailer.latest(MfaMail.RECOVERY_CODE_USED)).hasValueSatisfying(mail -> {
            assertThat(mail.to()).isEqualTo("ada@example.com");
            assertThat(mail.text()).doesNotContain(app.recoveryCodes().get(3));
        });
        assertThat(code(catchThrowable(() -> m.mfaLogin.finish(passwordStep().mfaToken(), null, recovery,
                ORIGIN)))).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
    }

    @Test
    void mfaLoginWhenSixWrongCodesThenLockedThirtySecondsAndRightCodeRefusedUntilThen() {
        MfaFixture.App app = m.enrol(m.ada);
        String token = passwordStep().mfaToken();
        String right = app.code(m.f.clock.instant());
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 6; i++) {
            assertThat(code(catchThrowable(() -> m.mfaLogin.finish(token, wrong, null, ORIGIN))))
                    .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        }

        assertThat(code(catchThrowable(() -> m.mfaLogin.finish(token, right, null, ORIGIN))))
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(m.f.audit.events("mfa.verify_failed").get(6).details()).containsEntry("reason", "locked");

        m.f.clock.advance(Duration.ofSeconds(31));
        String later = app.code(m.f.clock.instant());
        assertThat(m.mfaLogin.finish(token, later, null, ORIGIN).user().id()).isEqualTo(m.ada.id());
    }

    @Test
    void mfaLoginWhenTwentyFailuresThenFactorStoppedForADay() {
        MfaFixture.App app = m.enrol(m.ada);
        for (int i = 1; i <= 20; i++) {
            String token = passwordStep().mfaToken();
            String right = app.code(m.f.clock.instant());
            String wrong = right.equals("000000") ? "111111" : "000000";
            assertThat(code(catchThrowable(() -> m.mfaLogin.finish(token, wrong, null, ORIGIN))))
                    .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            if (i < 20) {
                m.f.clock.advance(SecondFactorVerifier.THROTTLE_POLICY.lockAfter(i).plusSeconds(1));
            }
        }
        assertThat(m.f.audit.events("mfa.verify_failed")).hasSize(20)
                .allSatisfy(e -> assertThat(e.details()).containsEntry("reason", "wrong_code"));
        m.f.clock.advance(Duration.ofHours(23));
        String fresh = passwordStep().mfaToken();

        assertThat(code(catchThrowable(() -> m.mfaLogin.finish(fresh, app.code(m.f.clock.instant()), null,
                ORIGIN)))).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        m.f.clock.advance(Duration.ofHours(1));
        String later = passwordStep().mfaToken();
        assertThat(m.mfaLogin.finish(later, app.code(m.f.clock.instant()), null, ORIGIN).user().id())
                .isEqualTo(m.ada.id());
    }

    @Test
    void mfaLoginWhenTokenExpiredOrUnknownThenUnauthorized() {
        MfaFixture.App app = m.enrol(m.ada);
        String token = passwordStep().mfaToken();
        m.f.clock.advance(Duration.ofSeconds(MfaLoginGate.LIFETIME_SECONDS + 1));

        assertThat(code(catchThrowable(() -> m.mfaLogin.finish(token, app.code(m.f.clock.instant()), null,
                ORIGIN)))).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(code(catchThrowable(() -> m.mfaLogin.finish("lkm_unknown", "123456", null, ORIGIN))))
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(code(catchThrowable(() -> m.mfaLogin.finish(token, "123456", "abcde-fghij", ORIGIN))))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
    }

    @Test
    void startWhenAlreadyEnrolledThenProofRequiredAndWithCodeReplacedWithNewRecoveryCodes() {
        MfaFixture.App old = m.enrol(m.ada);
        AuthenticatedUser caller = m.signedIn(m.ada);

        assertThat(code(catchThrowable(() -> m.enrolment.start(caller, null, null, ORIGIN))))
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);

        TotpEnrolment.Started started = m.enrolment.start(caller, old.code(m.f.clock.instant()), null, ORIGIN);
        byte[] secret = Base32.decode(started.secret());
        m.nextStep();
        List<String> codes = m.enrolment.confirm(caller, Totp.code(secret, Totp.step(m.f.clock.instant()),
                Totp.Algorithm.SHA1, 6), ORIGIN);
        m.nextStep();

        assertThat(codes).doesNotContainAnyElementsOf(old.recoveryCodes());
        assertThat(code(catchThrowable(() -> m.mfaLogin.finish(passwordStep().mfaToken(), null,
                old.recoveryCodes().get(0), ORIGIN)))).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        m.nextStep();
        String fresh = Totp.code(secret, Totp.step(m.f.clock.instant()), Totp.Algorithm.SHA1, 6);
        assertThat(m.mfaLogin.finish(passwordStep().mfaToken(), fresh, null, ORIGIN).user().id())
                .isEqualTo(m.ada.id());
    }

    @Test
    void disableWhenRecentMultiFactorSignInThenRemovedAuditedMailedAndPasswordLoginIssuesTokens() {
        m.enrol(m.ada);
        AuthenticatedUser caller = m.signedIn(m.ada, List.of("pwd", "otp", "mfa"));

        m.manage.disable(caller, ORIGIN);

        assertThat(m.manage.status(caller).enabled()).isFalse();
        assertThat(m.f.audit.events("mfa.disabled")).hasSize(1);
        assertThat(m.mailer.latest(MfaMail.MFA_REMOVED)).isPresent();
        assertThat(m.passwordLogin.login("ada@example.com", PASSWORD, ORIGIN))
                .isInstanceOf(LoginResult.Tokens.class);
    }

    @Test
    void disableWhenPasswordOnlySessionThenStepUpRequiredWithMultiFactorAcrAndStillEnrolled() {
        m.enrol(m.ada);
        AuthenticatedUser caller = m.signedIn(m.ada);

        Throwable thrown = catchThrowable(() -> m.manage.disable(caller, ORIGIN));

        assertThat(thrown).isInstanceOf(StepUpRequiredException.class);
        assertThat(((StepUpRequiredException) thrown).headers().get("www-authenticate"))
                .contains("error=\"insufficient_user_authentication\"").contains("max_age=\"600\"")
                .contains("acr_values=\"" + StepUp.ACR_MULTI_FACTOR + "\"");
        assertThat(m.manage.status(caller).enabled()).isTrue();
    }

    @Test
    void disableWhenMultiFactorSignInOlderThanTenMinutesThenStepUpRequired() {
        m.enrol(m.ada);
        AuthenticatedUser caller = m.signedIn(m.ada, List.of("pwd", "otp", "mfa"));
        m.f.clock.advance(StepUp.MAX_AGE.plusSeconds(1));

        assertThat(catchThrowable(() -> m.manage.disable(caller, ORIGIN)))
                .isInstanceOf(StepUpRequiredException.class);
    }

    @Test
    void stepUpWhenUserWithoutSecondFactorSignedInRecentlyWithPasswordThenAllowed() {
        AuthenticatedUser caller = m.signedIn(m.ada);

        m.stepUp.require(caller);
        m.f.clock.advance(StepUp.MAX_AGE.plusSeconds(1));

        assertThat(catchThrowable(() -> m.stepUp.require(caller))).isInstanceOf(StepUpRequiredException.class);
    }

    @Test
    void regenerateWhenStepUpDoneThenTenNewCodesAndOldOnesDead() {
        MfaFixture.App app = m.enrol(m.ada);
        AuthenticatedUser caller = m.signedIn(m.ada, List.of("hwk", "user", "mfa"));

        List<String> fresh = m.manage.regenerateRecoveryCodes(caller, ORIGIN);

        assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(app.recoveryCodes());
        assertThat(m.f.audit.events("mfa.recovery_codes.regenerated")).hasSize(1);
        assertThat(code(catchThrowable(() -> m.mfaLogin.finish(passwordStep().mfaToken(), null,
                app.recoveryCodes().get(0), ORIGIN)))).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(m.mfaLogin.finish(passwordStep().mfaToken(), null, fresh.get(0), ORIGIN).user().id())
                .isEqualTo(m.ada.id());
    }

    @Test
    void resetWhenAdminResetsThenRemovedAuditedInOrganizationAndMailed() {
        m.enrol(m.ada);

        m.manage.reset("org_admins", "usr_admin", m.ada.id(), ORIGIN);

        assertThat(m.manage.enrolled(m.ada.id())).isFalse();
        AuditEvent event = m.f.audit.events("mfa.reset").get(0);
        assertThat(event.organizationId()).hasValue("org_admins");
        assertThat(m.mailer.latest(MfaMail.MFA_REMOVED)).isPresent();
    }
}
