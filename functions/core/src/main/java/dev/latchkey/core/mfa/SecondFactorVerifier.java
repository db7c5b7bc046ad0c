package dev.latchkey.core.mfa;

import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.login.LoginThrottle;
import dev.latchkey.core.login.ThrottlePolicy;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks a second factor of a user — a TOTP code or a recovery code — for login, re-enrolment, disabling and
 * regenerating recovery codes. In order:
 * <ol>
 *   <li>exactly one of code and recovery code (400 otherwise);</li>
 *   <li>{@link LoginThrottle#admit}: the per-IP window shared with password login (429) and the factor's own
 *       failure streak ({@link #accountKey}, {@link #THROTTLE_POLICY}: 5 free failures, then growing delays as
 *       password login, but from 30 s and stopping for a day at 20); a locked factor answers like a wrong
 *       code;</li>
 *   <li>TOTP: the code matched in constant time within ±1 step (RFC 6238 §5.2, {@link Totp#match}), then the step
 *       recorded by a conditional write ({@link MfaRepository#acceptStep}) — the same code, or an older one, is
 *       refused after one success even when two requests race (RFC 6238 §5.2 "MUST NOT accept the second
 *       attempt");</li>
 *   <li>recovery code: its keyed hash spent by a conditional delete; the use is audited and mailed to the user;</li>
 *   <li>failure: the streak grows, {@code mfa.verify_failed} with the reason, one 401 for every reason;
 *       success: the streak is forgotten, {@code mfa.verified}.</li>
 * </ol>
 */
public final class SecondFactorVerifier {

    /** What a verification accepted. */
    public enum Method {
        /** A TOTP code (RFC 8176 {@code otp}). */
        TOTP,
        /** A recovery code. */
        RECOVERY_CODE
    }

    /**
     * The factor's failure streak: 5 free failures, then 30 s doubling to 15 min, and 20 failures stop the factor
     * for 24 h (NIST SP 800-63B §5.2.2 allows at most 100). Stricter than password login's 1 s start and 100-failure
     * stop: each guess tries three codes of 10^6 (the ±1 window), and the attacker already holds the password, so
     * at most about 20 guesses a day keep the odds of a guessed code near 6 in 100,000 per day.
     */
    public static final ThrottlePolicy THROTTLE_POLICY = new ThrottlePolicy(5, Duration.ofSeconds(30),
            Duration.ofMinutes(15), 20, Duration.ofHours(24), Duration.ofDays(7));

    private final MfaRepository factors;
    private final TotpSecrets secrets;
    private final LoginThrottle throttle;
    private final Mailer mailer;
    private final MfaAudit audit;
    private final Clock clock;

    /**
     * @param factors the users' factors
     * @param secrets opens the sealed TOTP secret
     * @param throttle per-IP window and per-factor streak (built with {@link #THROTTLE_POLICY})
     * @param mailer tells the user a recovery code was used
     * @param auditLog where {@code mfa.*} goes
     * @param ids event ids
     * @param clock the time source
     */
    public SecondFactorVerifier(MfaRepository factors, TotpSecrets secrets, LoginThrottle throttle, Mailer mailer,
            AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.factors = Objects.requireNonNull(factors, "factors");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.audit = new MfaAudit(auditLog, ids, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The throttle key of a user's second factor: a hash, distinct from every password-login key. */
    public static String accountKey(String userId) {
        return LoginThrottle.accountKey("mfa:" + userId);
    }

    /**
     * Verifies one second factor of {@code user}.
     *
     * @param code a TOTP code, or {@code null}
     * @param recoveryCode a recovery code, or {@code null}
     * @param purpose why, for the audit event ({@code login}, {@code disable}, …)
     * @return what was accepted
     * @throws MfaException 400 {@link MfaException#codeRequired()}, 401 {@link MfaException#invalidCode()}
     * @throws dev.latchkey.core.ratelimit.RateLimitedException 429 when the source IP is over its window
     */
    public Method verify(User user, String code, String recoveryCode, String purpose, RequestOrigin origin) {
        if ((code == null) == (recoveryCode == null)) {
            throw MfaException.codeRequired();
        }
        String key = accountKey(user.id());
        boolean admitted = throttle.admit(origin.sourceIp().orElse("unknown"), key);
        Optional<TotpFactor> factor = factors.findTotp(user.id());
        String failure;
        if (!admitted) {
            failure = "locked";
        } else if (factor.isEmpty()) {
            failure = "not_enrolled";
        } else if (code != null) {
            failure = checkTotp(factor.get(), code);
        } else {
            failure = checkRecoveryCode(factor.get(), recoveryCode);
        }
        Method method = code != null ? Method.TOTP : Method.RECOVERY_CODE;
        if (failure != null) {
            if (admitted) {
                throttle.failed(key);
            }
            audit.record(MfaAudit.VERIFY_FAILED, user, Outcome.FAILURE, Map.of("reason", failure,
                    "method", name(method), "purpose", purpose), origin);
            throw MfaException.invalidCode();
        }
        throttle.succeeded(key);
        audit.record(MfaAudit.VERIFIED, user, Outcome.SUCCESS, Map.of("method", name(method), "purpose", purpose),
                origin);
        if (method == Method.RECOVERY_CODE) {
            recoveryCodeUsed(user, purpose, origin);
        }
        return method;
    }

    /** {@code totp} or {@code recovery_code}. */
    public static String name(Method method) {
        return method == Method.TOTP ? "totp" : "recovery_code";
    }

    private String checkTotp(TotpFactor factor, String code) {
        Instant now = clock.instant();
        OptionalLong step = secrets.withSecret(factor.userId(), factor.secret(),
                secret -> Totp.match(secret, code, Totp.step(now)));
        if (step.isEmpty()) {
            return "wrong_code";
        }
        return factors.acceptStep(factor.userId(), step.getAsLong(), now) ? null : "replayed_code";
    }

    private String checkRecoveryCode(TotpFactor factor, String recoveryCode) {
        Optional<String> normalized = RecoveryCodes.normalize(recoveryCode);
        if (normalized.isEmpty()) {
            return "malformed_recovery_code";
        }
        String hash = secrets.withSecret(factor.userId(), factor.secret(),
                secret -> RecoveryCodes.hash(secret, normalized.get()));
        return factors.consumeRecoveryCode(factor.userId(), hash, clock.instant()) ? null : "wrong_recovery_code";
    }

    private void recoveryCodeUsed(User user, String purpose, RequestOrigin origin) {
        int left = factors.recoveryCodesLeft(user.id());
        audit.record(MfaAudit.RECOVERY_CODE_USED, user, Outcome.SUCCESS,
                Map.of("purpose", purpose, "left", Integer.toString(left)), origin);
        try {
            mailer.send(new MailMessage(user.email().mailbox(), "A recovery code was used on your account",
                    "A recovery code was just used to sign in to your Latchkey account or change its second factor"
                            + " (" + left + " left).\n\nIf this was not you, change your password now, and sign"
                            + " out of your other sessions.", MfaMail.RECOVERY_CODE_USED));
        } catch (MailException e) {
            // The code is spent and audited either way; a lost notice must not undo a legitimate sign-in.
            System.getLogger(SecondFactorVerifier.class.getName()).log(System.Logger.Level.WARNING,
                    "recovery-code notice not sent: " + e.getClass().getSimpleName());
        }
    }
}
